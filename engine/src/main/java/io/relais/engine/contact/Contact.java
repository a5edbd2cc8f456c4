package io.relais.engine.contact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.relais.dsl.ast.Stage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A contact: profile fields, then the state rules manage (score, stage, tags with counts,
 * segments, tier, points ledger, enrollments, alert memory), custom attributes and consent.
 * A contact without a stage is a {@code LEAD}; missing collections are empty.
 *
 * <p>Read from JSON, a field of the wrong type never fails: it is read as its type when it
 * can be ({@code "12"} as 12), else left empty and kept in {@link #invalid()} (JSON name to the
 * value as sent), which evaluations report as warnings. Written as JSON, the contact holds
 * only values of their types: the store's typed mapping would refuse the others.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Contact(
    String id,
    String email,
    String firstName,
    String lastName,
    String company,
    String city,
    String country,
    String owner,
    Integer companySize,
    LocalDate birthDate,
    Instant createdAt,
    Instant lastActivityAt,
    Integer score,
    Stage stage,
    Map<String, Integer> tags,
    Set<String> segments,
    String tier,
    List<LedgerLot> ledger,
    List<Enrollment> enrollments,
    Map<String, Instant> alerts,
    Map<String, Object> attributes,
    Consent consent,
    @JsonIgnore Map<String, Object> invalid) {

  public Contact {
    score = score == null ? 0 : score;
    stage = stage == null ? Stage.LEAD : stage;
    // Frozen: immutable, in insertion order, and not copied again by withState (Frozen).
    tags = tags == null ? Map.of() : Frozen.map(tags);
    segments = segments == null ? Set.of() : Frozen.set(segments);
    tier = tier == null ? "" : tier;
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
    enrollments = enrollments == null ? List.of() : List.copyOf(enrollments);
    alerts = alerts == null ? Map.of() : Frozen.map(alerts);
    attributes = attributes == null ? Map.of() : Frozen.map(attributes);
    consent = consent == null ? Consent.NONE : consent;
    invalid = invalid == null ? Map.of() : Frozen.map(invalid);
  }

  /** A contact whose every field was of its type. */
  public Contact(String id, String email, String firstName, String lastName, String company,
      String city, String country, String owner, Integer companySize, LocalDate birthDate,
      Instant createdAt, Instant lastActivityAt, Integer score, Stage stage,
      Map<String, Integer> tags, Set<String> segments, String tier, List<LedgerLot> ledger,
      List<Enrollment> enrollments, Map<String, Instant> alerts, Map<String, Object> attributes,
      Consent consent) {
    this(id, email, firstName, lastName, company, city, country, owner, companySize, birthDate,
        createdAt, lastActivityAt, score, stage, tags, segments, tier, ledger, enrollments, alerts,
        attributes, consent, Map.of());
  }

  /** Reads any JSON object as a contact; values of the wrong type go to {@link #invalid()}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Contact fromJson(Map<String, Object> json) {
    return ContactJson.read(json);
  }

  /**
   * The contact's JSON as plain values (maps, lists, ISO text for dates and times): the same
   * map the object mapper converts this contact to, built by hand because every event's write
   * and answer needs it. Not a JSON property: the object mapper still writes the contact itself.
   */
  public Map<String, Object> toJson() {
    return ContactJson.write(this);
  }

  /** A new contact with only an id: a {@code LEAD} with nothing else. */
  public static Contact withId(String id) {
    return new Contact(id, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null);
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

  /** One enrollment in a nurturing campaign. */
  public record Enrollment(String campaign, Instant enrolledAt, boolean active) {}

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
    return new Contact(id, email, firstName, lastName, company, city, country, owner, companySize,
        birthDate, createdAt, lastActivityAt, score, stage, tags, segments, tier, ledger,
        enrollments, alerts, attributes, consent, invalid);
  }
}
