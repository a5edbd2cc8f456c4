package io.relais.dsl.check;

/**
 * The stable codes of the checker's diagnostics. Tests, tools and documentation rely on them;
 * messages may improve, codes do not change.
 */
public final class Codes {

  private Codes() {}

  // ---- names ----
  public static final String UNKNOWN_FIELD = "unknown-field";
  public static final String UNKNOWN_EVENT_TYPE = "unknown-event-type";
  public static final String UNKNOWN_EVENT_ATTRIBUTE = "unknown-event-attribute";
  public static final String UNKNOWN_NAME = "unknown-name";
  public static final String UNKNOWN_STAGE = "unknown-stage";
  public static final String UNKNOWN_CAMPAIGN = "unknown-campaign";
  public static final String UNKNOWN_TIER = "unknown-tier";
  public static final String UNKNOWN_REWARD = "unknown-reward";
  public static final String UNKNOWN_TYPE = "unknown-type";
  public static final String UNGUARDED_EVENT_ATTRIBUTE = "unguarded-event-attribute";

  // ---- types ----
  public static final String TYPE_MISMATCH = "type-mismatch";
  public static final String NOT_ORDERED = "not-ordered";
  public static final String NOT_A_NUMBER = "not-a-number";
  public static final String NOT_TEXT = "not-text";
  public static final String NOT_A_CONDITION = "not-a-condition";

  // ---- rules and declarations ----
  public static final String ACTION_NOT_ALLOWED = "action-not-allowed";
  public static final String BAD_STAGE = "bad-stage";
  public static final String DUPLICATE_NAME = "duplicate-name";
  public static final String RESERVED_NAME = "reserved-name";
  public static final String CONFLICTING_HEADER = "conflicting-header";
  public static final String BAD_TIMEZONE = "bad-timezone";
  public static final String BAD_ACTIVE_RANGE = "bad-active-range";
  public static final String NEGATIVE_VALUE = "negative-value";
  public static final String DUPLICATE_THRESHOLD = "duplicate-threshold";
  /** A {@code quiet hours} time that is no time of day ({@code 25:00}, {@code 21:75}). */
  public static final String BAD_TIME = "bad-time";
  /** Quiet hours declared twice, or two caps over the same channel and window. */
  public static final String DUPLICATE_DECLARATION = "duplicate-declaration";
  /** A cap of no messages, or over no time. */
  public static final String BAD_CAP = "bad-cap";
  /** A marketing message (a {@code send} or a cap) over a channel other than email or sms. */
  public static final String BAD_CHANNEL = "bad-channel";
  /** Tiers of one ruleset on different bases: the balance, or points earned within a window. */
  public static final String MIXED_TIER_BASIS = "mixed-tier-basis";

  // ---- decision tables (docs/language.md ("Decision tables")) ----
  public static final String UNKNOWN_TABLE = "unknown-table";
  public static final String UNKNOWN_DMN_FILE = "unknown-dmn-file";
  public static final String UNKNOWN_MODEL = "unknown-model";
  public static final String UNKNOWN_DECISION = "unknown-decision";
  public static final String UNKNOWN_INPUT = "unknown-input";
  public static final String UNBOUND_INPUT = "unbound-input";
  public static final String DUPLICATE_INPUT = "duplicate-input";
  public static final String NOT_A_SINGLE_VALUE = "not-a-single-value";
  public static final String DMN_NEEDS_ENGINE = "dmn-needs-engine";
  /** A schema, model or FEEL error in a {@code .dmn} file. */
  public static final String DMN_ERROR = "dmn-error";
  /** Rules of a UNIQUE table that can match together. */
  public static final String DMN_OVERLAP = "dmn-overlap";
  /** Inputs no rule of a table covers (a warning). */
  public static final String DMN_GAP = "dmn-gap";
  /** Any other remark of the DMN validator (a warning). */
  public static final String DMN_WARNING = "dmn-warning";
  /** A FEEL {@code function(...) external}, or a function definition of kind Java or PMML. */
  public static final String DMN_EXTERNAL_FUNCTION = "dmn-external-function";
  /** A FEEL path ({@code .class}) that the DMN engine would read by calling a Java method. */
  public static final String DMN_JAVA_PROPERTY = "dmn-java-property";
  /** A DOCTYPE, entity, XInclude or import: what would make the service read a file or a URL. */
  public static final String DMN_EXTERNAL_RESOURCE = "dmn-external-resource";
  /** A FEEL function that can call itself, or a function used as a value (passed, stored). */
  public static final String DMN_RECURSION = "dmn-recursion";
  /** A for, some or every over a range without literal ends, or over more values than allowed. */
  public static final String DMN_ITERATION = "dmn-iteration";
  /** A regular expression that is no literal, or whose matching can take exponential time. */
  public static final String DMN_REGEX = "dmn-regex";
  /** A DMN model whose evaluation can take more steps or build larger values than allowed. */
  public static final String DMN_COST = "dmn-cost";

  // ---- warnings ----
  public static final String NEVER_FIRES = "never-fires";
  public static final String TIER_UNREACHABLE = "tier-unreachable";
  public static final String CAMPAIGN_NEVER_ENROLLED = "campaign-never-enrolled";
  public static final String TAG_NEVER_SET = "tag-never-set";
}
