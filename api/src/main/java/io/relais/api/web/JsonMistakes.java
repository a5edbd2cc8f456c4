package io.relais.api.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What is wrong with a piece of JSON, in the caller's terms: which field, what was expected, and
 * where (line and column). Jackson's own messages name classes, features and constraints
 * ({@code com.fasterxml...}, {@code FAIL_ON_TRAILING_TOKENS}, {@code StreamReadConstraints}):
 * they never reach a client; every JSON failure shown to one is worded here.
 */
public final class JsonMistakes {

  /** The field a mistake is about ({@code ""} for the whole value) and its description. */
  public record Mistake(String field, String detail) {
    /** The extra members of a problem about this mistake: {@code field} when there is one. */
    public Map<String, Object> properties() {
      return field.isEmpty() ? Map.of() : Map.of("field", field);
    }
  }

  /** The message of a record's own null check: the name of the missing field, nothing else. */
  private static final Pattern REQUIRED_NAME = Pattern.compile("[a-z][A-Za-z]{0,40}");

  private JsonMistakes() {}

  /**
   * The mistake a JSON failure anywhere in {@code failure}'s causes stands for, or null when
   * there is none; {@code what} names the value read ("The request body", "Line 3"), and
   * {@code lineOffset} is added to the lines Jackson counts (a line read on its own).
   */
  public static Mistake of(Throwable failure, String what, int lineOffset) {
    JsonMappingException mapping = find(failure, JsonMappingException.class);
    JsonProcessingException json = find(failure, StreamReadException.class);
    if (json == null) {
      json = find(failure, StreamConstraintsException.class);
    }
    if (json == null) {
      json = mapping;
    }
    if (json == null) {
      return null;
    }
    String field = mapping != null ? path(mapping) : "";
    JsonLocation location = json.getLocation();
    String where = location != null && location.getLineNr() > 0
        ? " (line " + (location.getLineNr() + lineOffset) + ", column " + location.getColumnNr() + ")"
        : "";
    String original = String.valueOf(json.getOriginalMessage());
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String detail;
    if (json instanceof StreamReadException && original.startsWith("Duplicate field")) {
      String name = duplicateName(original);
      field = field.isEmpty() ? name : field + "." + name;
      detail = "The field '" + field + "' appears twice" + where + ".";
    } else if (json instanceof MismatchedInputException && original.startsWith("Trailing token")) {
      detail = "There is more after the JSON value" + where + "; send exactly one value.";
    } else if (json instanceof StreamConstraintsException) {
      detail = what + " is beyond what is read" + where + ": " + constraint(original) + ".";
    } else if (json instanceof InputCoercionException) {
      detail = (field.isEmpty() ? what + " has" : "Field '" + field + "' is") + " a number out of range" + where + ".";
    } else if (json instanceof StreamReadException) {
      detail = what + " is not valid JSON" + where + ".";
    } else if (json instanceof ValueInstantiationException && cause instanceof IllegalArgumentException invalid
        && invalid.getMessage() != null) {
      detail = (field.isEmpty() ? "" : "Field '" + field + "': ") + invalid.getMessage();
    } else if (json instanceof ValueInstantiationException && cause instanceof NullPointerException missing
        && missing.getMessage() != null && REQUIRED_NAME.matcher(missing.getMessage()).matches()) {
      // A required component, named by its record's Objects.requireNonNull. Only a bare name is
      // shown: the JDK's own messages of a null pointer name classes and methods.
      detail = (field.isEmpty() ? what : "Field '" + field + "'") + " needs \"" + missing.getMessage()
          + "\"" + where + ".";
    } else if (json instanceof MismatchedInputException mismatch && !field.isEmpty()) {
      detail = "Field '" + field + "' must be " + expected(mismatch.getTargetType()) + where + ".";
    } else {
      detail = field.isEmpty()
          ? what + " does not have the shape this call expects" + where + "."
          : "Field '" + field + "' has a value this call cannot use" + where + ".";
    }
    return new Mistake(field, detail);
  }

  // Jackson's limits (StreamReadConstraints), named without naming Jackson.
  private static String constraint(String message) {
    if (message.startsWith("Document nesting depth")) {
      return "arrays and objects nested too deeply";
    }
    if (message.startsWith("Number value length")) {
      return "a number with too many digits";
    }
    if (message.startsWith("String value length")) {
      return "a text too long";
    }
    if (message.startsWith("Name length")) {
      return "a member name too long";
    }
    return "a value too large";
  }

  private static String duplicateName(String message) {
    int start = message.indexOf('\'');
    int end = message.lastIndexOf('\'');
    return start >= 0 && end > start ? message.substring(start + 1, end) : "?";
  }

  // The JSON path of a mapping failure: contact.tags, history[2].at, [3].type.
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  // What a Java type means to a caller of a JSON API, without naming the class.
  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (Instant.class.isAssignableFrom(type) || OffsetDateTime.class.isAssignableFrom(type)
        || Temporal.class.isAssignableFrom(type)) {
      return "an ISO-8601 time with offset between the years 0001 and 9999, such as \"2026-11-22T10:00:00Z\"";
    }
    if (type == String.class || type.isEnum()) {
      return "a text";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
