package io.relais.engine.contact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.schema.Schema;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A contact: its profile (the schema's profile fields, docs/engine.md "The schema"), then the
 * state rules manage (score, stage, tags with counts, segments, tier, points ledger,
 * enrollments, alert memory) and custom attributes. A contact without a stage is a {@code LEAD};
 * missing collections are empty. Built with {@link #builder} or {@link #toBuilder}.
 *
 * <p>Read from JSON, a field of the wrong type never fails: it is read as its type when it
 * can be ({@code "12"} as 12), else left empty and kept in {@link #invalid()} (JSON name to the
 * value as sent), which evaluations report as warnings. Written as JSON, the contact holds
 * only values of their types: the store's typed mapping would refuse the others.
 */
public final class Contact {

  /** The schema's profile fields, in order: a profile value's slot is its index here. */
  static final List<Schema.Field> PROFILE = Schema.fields().stream()
      .filter(f -> f.origin() == Schema.Origin.PROFILE).toList();

  private static final Map<String, Integer> SLOTS = slots();

  private static final int ID = slot("id");
  private static final int CONSENT_EMAIL = slot("consent.email");
  private static final int CONSENT_SMS = slot("consent.sms");
  /** Read by every evaluation (its zone): its slot found once, not looked up by name each time. */
  private static final int TIME_ZONE = slot("timeZone");

  private final Object[] profile;
  private final int score;
  private final Stage stage;
  private final Map<String, Integer> tags;
  private final Set<String> segments;
  private final String tier;
  private final List<LedgerLot> ledger;
  private final List<Enrollment> enrollments;
  private final Map<String, Instant> alerts;
  private final List<SentMessage> messages;
  private final Map<String, Object> attributes;
  private final Map<String, Object> invalid;

  private Contact(Builder b) {
    profile = b.profile.clone();
    score = b.score == null ? 0 : b.score;
    stage = b.stage == null ? Stage.LEAD : b.stage;
    // Frozen: immutable, in insertion order, and not copied again by withState (Frozen).
    tags = b.tags == null ? Map.of() : Frozen.map(b.tags);
    segments = b.segments == null ? Set.of() : Frozen.set(b.segments);
    tier = b.tier == null ? "" : b.tier;
    ledger = b.ledger == null ? List.of() : List.copyOf(b.ledger);
    enrollments = b.enrollments == null ? List.of() : List.copyOf(b.enrollments);
    alerts = b.alerts == null ? Map.of() : Frozen.map(b.alerts);
    messages = b.messages == null ? List.of() : List.copyOf(b.messages);
    attributes = b.attributes == null ? Map.of() : Frozen.map(b.attributes);
    invalid = b.invalid == null ? Map.of() : Frozen.map(b.invalid);
  }

  /** A contact to build: every field empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this contact's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    System.arraycopy(profile, 0, b.profile, 0, profile.length);
    b.score = score;
    b.stage = stage;
    b.tags = tags;
    b.segments = segments;
    b.tier = tier;
    b.ledger = ledger;
    b.enrollments = enrollments;
    b.alerts = alerts;
    b.messages = messages;
    b.attributes = attributes;
    b.invalid = invalid;
    return b;
  }

  /** Reads any JSON object as a contact; values of the wrong type go to {@link #invalid()}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Contact fromJson(Map<String, Object> json) {
    return ContactJson.read(json);
  }

  /**
   * The contact's JSON as plain values (maps, lists, ISO text for dates and times), which is
   * also what the object mapper writes: built by hand because every event's write and answer
   * needs it.
   */
  @JsonValue
  public Map<String, Object> toJson() {
    return ContactJson.write(this);
  }

  /** A new contact with only an id: a {@code LEAD} with nothing else. */
  public static Contact withId(String id) {
    return builder().id(id).build();
  }

  /** The profile field {@code name}'s value, {@code null} when empty. */
  public Object profile(String name) {
    return profile[slot(name)];
  }

  /** The value in a profile slot (see {@link #PROFILE}): what bound accessors read. */
  Object profileSlot(int slot) {
    return profile[slot];
  }

  public String id() {
    return (String) profile[ID];
  }

  /** The raw {@code timeZone} profile value (a zone name, or not: the evaluation checks it). */
  public Object timeZone() {
    return profile[TIME_ZONE];
  }

  public String email() {
    return (String) profile("email");
  }

  public String firstName() {
    return (String) profile("firstName");
  }

  public String lastName() {
    return (String) profile("lastName");
  }

  public String company() {
    return (String) profile("company");
  }

  public String owner() {
    return (String) profile("owner");
  }

  public Integer companySize() {
    return (Integer) profile("companySize");
  }

  public LocalDate birthDate() {
    return (LocalDate) profile("birthDate");
  }

  public Instant createdAt() {
    return (Instant) profile("createdAt");
  }

  public Instant lastActivityAt() {
    return (Instant) profile("lastActivityAt");
  }

  public Integer score() {
    return score;
  }

  public Stage stage() {
    return stage;
  }

  public Map<String, Integer> tags() {
    return tags;
  }

  public Set<String> segments() {
    return segments;
  }

  public String tier() {
    return tier;
  }

  public List<LedgerLot> ledger() {
    return ledger;
  }

  public List<Enrollment> enrollments() {
    return enrollments;
  }

  public Map<String, Instant> alerts() {
    return alerts;
  }

  /**
   * The message memory: marketing messages decided for the contact, oldest first, kept for
   * the longest frequency cap's window (docs/language.md "Time zones, quiet hours and caps").
   */
  public List<SentMessage> messages() {
    return messages;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  /** Marketing consent, from the profile's {@code consent.*} fields. */
  public Consent consent() {
    return new Consent((Boolean) profile[CONSENT_EMAIL], (Boolean) profile[CONSENT_SMS]);
  }

  /** JSON names of the values sent with the wrong type, to what was sent. */
  public Map<String, Object> invalid() {
    return invalid;
  }

  /** Marketing consent per channel; {@code null} means not given. */
  public record Consent(Boolean email, Boolean sms) {
    public static final Consent NONE = new Consent(null, null);
  }

  /**
   * A lot of loyalty points: what remains of one award ({@code points}) and what it awarded
   * ({@code earned}, never changed: tiers "earned within" count it whatever was spent or expired).
   */
  public record LedgerLot(
      BigDecimal points, Instant earnedAt, Instant expiresAt, String reason, String rule, BigDecimal earned) {

    public LedgerLot {
      earned = earned == null ? points : earned;
    }

    /** A lot as awarded: all of it remains. */
    public LedgerLot(BigDecimal points, Instant earnedAt, Instant expiresAt, String reason, String rule) {
      this(points, earnedAt, expiresAt, reason, rule, points);
    }

    public boolean expiredAt(Instant now) {
      return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** The same award with {@code remaining} points left. */
    public LedgerLot remaining(BigDecimal remaining) {
      return new LedgerLot(remaining, earnedAt, expiresAt, reason, rule, earned);
    }

    /** Whether it was earned at or after {@code since} (a lot without a date was earned long ago). */
    public boolean earnedSince(Instant since) {
      return earnedAt != null && !earnedAt.isBefore(since);
    }

    /**
     * Whether tiers counting the points earned within {@code window} (empty: tiers on the
     * balance) count this lot at {@code now}; a used-up or expired lot is kept while they do.
     */
    public boolean inTierWindow(Optional<Duration> window, Instant now) {
      return window.isPresent() && earnedSince(now.minus(window.get()));
    }

    /** Nothing of it can be spent any more: used up or expired. */
    public boolean spentAt(Instant now) {
      return points.signum() <= 0 || expiredAt(now);
    }
  }

  /**
   * One marketing message in the memory that frequency caps count.
   *
   * @param campaign the campaign of a step, or null for a {@code send}
   */
  public record SentMessage(String message, String channel, Instant sendAt, String campaign) {}

  /**
   * One enrollment in a nurturing campaign.
   *
   * @param nextDueAt when its next undecided step comes due, or null when none is left: the
   *     due-step scheduler range-queries it (docs/campaigns.md)
   */
  public record Enrollment(String campaign, Instant enrolledAt, boolean active, Instant nextDueAt) {

    /** An enrollment without steps to come. */
    public Enrollment(String campaign, Instant enrolledAt, boolean active) {
      this(campaign, enrolledAt, active, null);
    }
  }

  /** The same contact with another rule-managed state. */
  public Contact withState(
      int score,
      Stage stage,
      Map<String, Integer> tags,
      Set<String> segments,
      String tier,
      List<LedgerLot> ledger,
      List<Enrollment> enrollments,
      Map<String, Instant> alerts) {
    return toBuilder().score(score).stage(stage).tags(tags).segments(segments).tier(tier)
        .ledger(ledger).enrollments(enrollments).alerts(alerts).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Contact c && Arrays.equals(profile, c.profile) && score == c.score
        && stage == c.stage && tags.equals(c.tags) && segments.equals(c.segments)
        && tier.equals(c.tier) && ledger.equals(c.ledger) && enrollments.equals(c.enrollments)
        && alerts.equals(c.alerts) && messages.equals(c.messages) && attributes.equals(c.attributes) && invalid.equals(c.invalid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(profile), score, stage, tags, segments, tier, ledger,
        enrollments, alerts, messages, attributes, invalid);
  }

  @Override
  public String toString() {
    return "Contact" + toJson() + (invalid.isEmpty() ? "" : " invalid " + invalid);
  }

  /** The slot of profile field {@code name}; a name that is not one is a programming error. */
  static int slot(String name) {
    Integer slot = SLOTS.get(name);
    if (slot == null) {
      throw new IllegalArgumentException("contact." + name + " is not a profile field of the schema");
    }
    return slot;
  }

  private static Map<String, Integer> slots() {
    Map<String, Integer> slots = new HashMap<>();
    for (int i = 0; i < PROFILE.size(); i++) {
      slots.put(PROFILE.get(i).name(), i);
    }
    return Map.copyOf(slots);
  }

  /** Builds a contact; what is not set is empty (a {@code LEAD} with score 0). */
  public static final class Builder {
    private final Object[] profile = new Object[PROFILE.size()];
    private Integer score;
    private Stage stage;
    private Map<String, Integer> tags;
    private Set<String> segments;
    private String tier;
    private List<LedgerLot> ledger;
    private List<Enrollment> enrollments;
    private Map<String, Instant> alerts;
    private List<SentMessage> messages;
    private Map<String, Object> attributes;
    private Map<String, Object> invalid;

    private Builder() {}

    /**
     * Sets profile field {@code name} (the schema's name: {@code email}, {@code consent.sms});
     * {@code value} must be of the field's type as the engine holds it (text a String, whole
     * numbers an Integer, dates a LocalDate, date-times an Instant, booleans a Boolean).
     */
    public Builder profile(String name, Object value) {
      int slot = slot(name);
      Schema.Field field = PROFILE.get(slot);
      if (value != null && !held(field).isInstance(value)) {
        throw new IllegalArgumentException("contact." + name + " holds "
            + held(field).getSimpleName() + " values, not " + value.getClass().getSimpleName());
      }
      profile[slot] = value;
      return this;
    }

    public Builder id(String id) {
      return profile("id", id);
    }

    public Builder email(String email) {
      return profile("email", email);
    }

    public Builder firstName(String firstName) {
      return profile("firstName", firstName);
    }

    public Builder lastName(String lastName) {
      return profile("lastName", lastName);
    }

    public Builder company(String company) {
      return profile("company", company);
    }

    public Builder owner(String owner) {
      return profile("owner", owner);
    }

    public Builder companySize(Integer companySize) {
      return profile("companySize", companySize);
    }

    public Builder birthDate(LocalDate birthDate) {
      return profile("birthDate", birthDate);
    }

    public Builder createdAt(Instant createdAt) {
      return profile("createdAt", createdAt);
    }

    public Builder lastActivityAt(Instant lastActivityAt) {
      return profile("lastActivityAt", lastActivityAt);
    }

    public Builder consent(Consent consent) {
      Consent c = consent == null ? Consent.NONE : consent;
      return profile("consent.email", c.email()).profile("consent.sms", c.sms());
    }

    public Builder score(Integer score) {
      this.score = score;
      return this;
    }

    public Builder stage(Stage stage) {
      this.stage = stage;
      return this;
    }

    public Builder tags(Map<String, Integer> tags) {
      this.tags = tags;
      return this;
    }

    public Builder segments(Set<String> segments) {
      this.segments = segments;
      return this;
    }

    public Builder tier(String tier) {
      this.tier = tier;
      return this;
    }

    public Builder ledger(List<LedgerLot> ledger) {
      this.ledger = ledger;
      return this;
    }

    public Builder enrollments(List<Enrollment> enrollments) {
      this.enrollments = enrollments;
      return this;
    }

    public Builder alerts(Map<String, Instant> alerts) {
      this.alerts = alerts;
      return this;
    }

    public Builder messages(List<SentMessage> messages) {
      this.messages = messages;
      return this;
    }

    public Builder attributes(Map<String, Object> attributes) {
      this.attributes = attributes;
      return this;
    }

    /** Values sent with the wrong type, by JSON name (see {@link Contact#invalid()}). */
    public Builder invalid(Map<String, Object> invalid) {
      this.invalid = invalid;
      return this;
    }

    public Contact build() {
      return new Contact(this);
    }
  }

  /** The Java class a profile field's value has. */
  static Class<?> held(Schema.Field field) {
    return switch (field.type()) {
      case TEXT -> String.class;
      case NUMBER -> field.whole() ? Integer.class : BigDecimal.class;
      case DATE -> LocalDate.class;
      case DATETIME -> Instant.class;
      case BOOLEAN -> Boolean.class;
      case STAGE -> Stage.class;
    };
  }
}
