package io.relais.engine.contact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.ast.Stage;
import io.relais.engine.testing.JsonSamples;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contact's hand-written JSON ({@link Contact#toJson()}, {@link JsonValues}) is exactly
 * what the object mapper's {@code convertValue} gives, and reading a plain JSON map with
 * {@link Contact#fromJson} directly gives the contact the mapper's conversion gives: the same
 * Java maps (value classes included) and the same JSON text, on thousands of generated
 * contacts. A field dropped or renamed by the hand mapping fails these.
 */
class ContactJsonEquivalenceTest {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int CONTACTS = 5_000;
  private final ObjectMapper json = JsonSamples.storeMapper();

  @Test
  void writingAContactByHandIsWhatTheMapperWrites() throws JsonProcessingException {
    JsonSamples samples = new JsonSamples(new Random(7));
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < CONTACTS; i++) {
      Contact contact = i % 2 == 0 ? samples.contact() : samples.contactFromJson();
      Map<String, Object> byHand = contact.toJson();
      Map<String, Object> byMapper = json.convertValue(contact, MAP);
      assertSame(byHand, byMapper, contact);
      seen.addAll(byHand.keySet());
    }
    // Every field was written: a field the hand mapping dropped or renamed would have failed.
    assertThat(seen).containsExactlyInAnyOrderElementsOf(io.relais.dsl.schema.Schema.jsonProperties());
  }

  @Test
  void aContactWithOnlyAnIdAndOneWithEverythingAreWrittenAsTheMapperWrites() throws JsonProcessingException {
    Contact bare = Contact.withId("c-1");
    assertSame(bare.toJson(), json.convertValue(bare, MAP), bare);
    Contact full = Contact.builder().id("c-2").email("a@b.fr").firstName("Jean").lastName("Dupont")
        .company("Acme").profile("city", "Lyon").profile("country", "FR").owner("marc@acme.fr")
        .companySize(80).birthDate(LocalDate.of(1990, 11, 22))
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
        .lastActivityAt(Instant.parse("2026-11-22T10:00:00.123456789Z")).score(120)
        .stage(Stage.DISQUALIFIED).tags(Map.of("VIP", 2)).segments(Set.of("S1")).tier("gold")
        .ledger(List.of(new Contact.LedgerLot(new BigDecimal("100.50"), Instant.EPOCH, null, null, "r1")))
        .enrollments(List.of(new Contact.Enrollment("welcome", null, false)))
        .alerts(Map.of("alert", Instant.EPOCH))
        .attributes(Map.of("budget", new BigDecimal("1E+3"), "n", List.of(1, 2L, 3.5), "deep", Map.of("x", Map.of())))
        .consent(new Contact.Consent(true, false)).invalid(Map.of("tags.X", "y")).build();
    assertSame(full.toJson(), json.convertValue(full, MAP), full);
  }

  @Test
  void readingAPlainMapDirectlyIsWhatTheMapperReads() throws JsonProcessingException {
    JsonSamples samples = new JsonSamples(new Random(11));
    int withInvalid = 0;
    for (int i = 0; i < CONTACTS; i++) {
      Map<String, Object> given = samples.contactJson();
      // As a document comes from the store: written to text and parsed back.
      Map<String, Object> stored = json.readValue(json.writeValueAsString(given), MAP);
      for (Map<String, Object> map : List.of(given, stored)) {
        assertThat(JsonValues.isPlain(map)).isTrue();
        Contact direct = Contact.fromJson(map);
        Contact converted = json.convertValue(map, Contact.class);
        assertThat(direct).as("%s", map).isEqualTo(converted);
        assertThat(deepClasses(direct.attributes())).isEqualTo(deepClasses(converted.attributes()));
        assertThat(deepClasses(direct.invalid())).isEqualTo(deepClasses(converted.invalid()));
        assertThat(json.writeValueAsString(direct)).isEqualTo(json.writeValueAsString(converted));
        withInvalid += direct.invalid().isEmpty() ? 0 : 1;
      }
    }
    assertThat(withInvalid).as("wrongly typed values were generated").isGreaterThan(CONTACTS / 2);
  }

  @Test
  void plainValuesAreWhatTheMapperConvertsTo() throws JsonProcessingException {
    JsonSamples samples = new JsonSamples(new Random(13));
    List<Object> values = new ArrayList<>(List.of(Instant.parse("2026-11-22T10:00:00Z"),
        Instant.parse("2026-11-22T10:00:00.100Z"), Instant.MIN, Instant.MAX, LocalDate.MIN,
        LocalDate.of(10_000, 1, 1), Stage.MQL, new BigDecimal("1E+3"), new BigDecimal("-0.000"),
        BigInteger.TEN.pow(30), Long.MIN_VALUE, 1, 1.5d, Double.NaN, true, "", Set.of("a"),
        (short) 3, 2.5f, 'c', Decision.TAG_LIKE, Map.of(1, "non-text key"),
        new Contact.Consent(null, true)));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("at", Instant.EPOCH);
    nested.put("null", null);
    nested.put("list", List.of(Map.of("sendAt", Instant.EPOCH, "message", "m")));
    values.add(nested);
    for (int i = 0; i < 2_000; i++) {
      values.add(samples.jsonValue(0));
    }
    for (Object value : values) {
      Object byHand = JsonValues.plain(value);
      Object byMapper = json.convertValue(value, Object.class);
      assertThat(byHand).as("%s", value).isEqualTo(byMapper);
      assertThat(deepClasses(byHand)).isEqualTo(deepClasses(byMapper));
      assertThat(json.writeValueAsString(byHand)).isEqualTo(json.writeValueAsString(byMapper));
      if (JsonValues.isPlain(value)) {
        assertThat(byMapper).as("plain values convert to themselves: %s", value).isEqualTo(value);
        assertThat(deepClasses(byMapper)).isEqualTo(deepClasses(value));
      }
    }
    assertThat(JsonValues.isPlain(Instant.EPOCH)).isFalse();
    assertThat(JsonValues.isPlain(Set.of("a"))).isFalse();
    assertThat(JsonValues.isPlain(Map.of(1, "a"))).isFalse();
    assertThat(JsonValues.isPlain(List.of(Map.of("a", List.of(Instant.EPOCH))))).isFalse();
  }

  /** An enum with no annotation, as the decision types: written by its name. */
  private enum Decision { TAG_LIKE }

  private void assertSame(Map<String, Object> byHand, Map<String, Object> byMapper, Object from)
      throws JsonProcessingException {
    assertThat(byHand).as("%s", from).isEqualTo(byMapper);
    assertThat(List.copyOf(byHand.keySet())).as("field order").isEqualTo(List.copyOf(byMapper.keySet()));
    assertThat(deepClasses(byHand)).isEqualTo(deepClasses(byMapper));
    assertThat(json.writeValueAsString(byHand)).isEqualTo(json.writeValueAsString(byMapper));
  }

  /**
   * The value with each leaf replaced by its class name and each map by its entries in order:
   * equal maps with values of other classes (12 as an Integer and as a Long) or another
   * order differ here.
   */
  static Object deepClasses(Object value) {
    if (value instanceof Map<?, ?> map) {
      List<Object> out = new ArrayList<>();
      map.forEach((k, v) -> out.add(List.of(String.valueOf(k), String.valueOf(deepClasses(v)))));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ContactJsonEquivalenceTest::deepClasses).toList();
    }
    return value == null ? "null" : value.getClass().getName();
  }
}
