package io.relais.features.steps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.DataTableType;
import io.cucumber.java.ParameterType;
import io.relais.dsl.ast.Stage;
import io.relais.features.driver.Json;
import io.relais.features.steps.Domain.ContactProfile;
import io.relais.features.steps.Domain.EventSpec;
import io.relais.features.steps.Domain.ExpectedDecision;
import io.relais.features.steps.Domain.HistoryEvent;
import io.relais.features.steps.Domain.Money;
import io.relais.features.steps.Domain.Moment;
import io.relais.features.steps.Domain.PlannedStep;
import io.relais.features.steps.Domain.PointsLot;
import io.relais.features.steps.Domain.When;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every word and table QA writes, turned into a domain object in one place: stages, durations,
 * amounts, dates and times in steps; contacts, events, points, expected decisions and campaign
 * steps in tables. Steps never parse text themselves.
 */
public class ParameterTypes {

  /** Contact fields with a type of their own; any other name is a custom attribute. */
  private static final Set<String> TEXT_FIELDS =
      Set.of("email", "firstName", "lastName", "company", "city", "country", "owner", "tier");

  @ParameterType(name = "stage", value = "SUBSCRIBER|LEAD|MQL|SQL|OPPORTUNITY|CUSTOMER|DISQUALIFIED")
  public Stage stage(String name) {
    return Stage.valueOf(name);
  }

  @ParameterType(name = "duration", value = "(\\d+) (minute|hour|day|week)s?")
  public Duration duration(String amount, String unit) {
    return Domain.duration(Long.parseLong(amount), unit);
  }

  @ParameterType(name = "amount", value = "(\\d+(?:\\.\\d+)?) ([A-Z]{3})")
  public Money amount(String amount, String currency) {
    return new Money(new BigDecimal(amount), currency);
  }

  @ParameterType(name = "points", value = "-?\\d+(?:\\.\\d+)?")
  public BigDecimal points(String points) {
    return new BigDecimal(points);
  }

  @ParameterType(name = "date", value = "\\d{4}-\\d{2}-\\d{2}")
  public LocalDate date(String date) {
    return LocalDate.parse(date);
  }

  @ParameterType(name = "time",
      value = "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2})?)(Z| [A-Za-z]+(?:/[A-Za-z_+-]+)*)?")
  public Moment time(String local, String zone) {
    Optional<ZoneId> id = zone == null ? Optional.empty() : Optional.of(ZoneId.of(zone.trim()));
    return new Moment(LocalDateTime.parse(local), id);
  }

  /** {@code | type | at | url |}: one row per event; columns other than id, type and at are attributes. */
  @DataTableType
  public HistoryEvent historyEvent(Map<String, String> row) {
    String type = required(row, "type", "the event's type (page_visit, purchase...)");
    String at = required(row, "at", "when it happened (3 days ago, 2026-11-20, 2026-11-20T09:30)");
    return new HistoryEvent(row.get("id"), type, new When(at), Domain.attributes(row, "id", "type", "at"));
  }

  /** Two columns, names and values: {@code | type | webinar_attended |}, {@code | minutes | 45 |}. */
  @DataTableType
  public EventSpec eventSpec(DataTable table) {
    Map<String, String> fields = keyValues(table);
    String type = required(fields, "type", "the event's type");
    Optional<When> at = Optional.ofNullable(fields.get("at")).map(When::new);
    return new EventSpec(fields.get("id"), type, at, Domain.attributes(fields, "id", "type", "at"));
  }

  /**
   * Two columns, field and value. {@code tags} reads {@code LEASING: 2, SUV} (count 1 when left out),
   * {@code segments} a comma list, {@code consent.email} / {@code consent.sms} true or false; any
   * other unknown name is a custom attribute ({@code attribute contact.NAME}).
   */
  @DataTableType
  public ContactProfile contactProfile(DataTable table) {
    ObjectNode json = Domain.object();
    ObjectNode attributes = json.objectNode();
    keyValues(table).forEach((field, value) -> {
      if (value == null) {
        return;
      }
      switch (field) {
        case "id" -> throw new IllegalArgumentException("the contact's id is the quoted name in the step");
        case "companySize", "score" -> json.put(field, Integer.parseInt(value.trim()));
        case "stage" -> json.put(field, stage(value.trim()).name());
        case "birthDate" -> json.put(field, LocalDate.parse(value.trim()).toString());
        case "createdAt", "lastActivityAt" -> json.put(field, value.trim());
        case "tags" -> {
          ObjectNode tags = json.putObject("tags");
          for (String tag : value.split(",")) {
            String[] nameAndCount = tag.split(":");
            tags.put(nameAndCount[0].trim(), nameAndCount.length > 1 ? Integer.parseInt(nameAndCount[1].trim()) : 1);
          }
        }
        case "segments" -> {
          ArrayNode segments = json.putArray("segments");
          for (String segment : value.split(",")) {
            segments.add(segment.trim());
          }
        }
        case "consent.email", "consent.sms" -> {
          ObjectNode consent = json.has("consent") ? (ObjectNode) json.get("consent") : json.putObject("consent");
          consent.put(field.substring("consent.".length()), Boolean.parseBoolean(value.trim()));
        }
        default -> {
          if (TEXT_FIELDS.contains(field)) {
            json.put(field, value);
          } else {
            attributes.set(field, Json.tree(Domain.value(value)));
          }
        }
      }
    });
    if (!attributes.isEmpty()) {
      json.set("attributes", attributes);
    }
    return new ContactProfile(json);
  }

  /** {@code | points | earned | expires | reason |}: a lot the contact already holds. */
  @DataTableType
  public PointsLot pointsLot(Map<String, String> row) {
    return new PointsLot(new BigDecimal(required(row, "points", "how many points").trim()),
        new When(Optional.ofNullable(row.get("earned")).orElse("now")),
        Optional.ofNullable(row.get("expires")).map(When::new),
        row.get("reason"), Optional.ofNullable(row.get("rule")).orElse("given"));
  }

  /** Any columns of a decision's JSON: {@code | type | tag | count |}; an empty cell is not checked. */
  @DataTableType
  public ExpectedDecision expectedDecision(Map<String, String> row) {
    Map<String, String> fields = new LinkedHashMap<>();
    row.forEach((name, value) -> {
      if (value != null) {
        fields.put(name, value);
      }
    });
    return new ExpectedDecision(fields);
  }

  /** {@code | message | dueAt |}: a step the enrollment plans; dueAt like {@code in 3 days}. */
  @DataTableType
  public PlannedStep plannedStep(Map<String, String> row) {
    return new PlannedStep(required(row, "message", "the step's message"),
        new When(required(row, "dueAt", "when it is due (now, in 3 days...)")));
  }

  private static Map<String, String> keyValues(DataTable table) {
    if (table.width() != 2) {
      throw new IllegalArgumentException("Write this table as two columns, a name and a value, one per row:\n"
          + table);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (List<String> row : table.cells()) {
      fields.put(row.get(0).trim(), row.get(1));
    }
    return fields;
  }

  private static String required(Map<String, String> row, String column, String meaning) {
    String value = row.get(column);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("The table needs a column \"" + column + "\": " + meaning
          + ". Got " + row);
    }
    return value;
  }
}
