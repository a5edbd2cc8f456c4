package io.relais.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure of a controller as problem details, mapped here once: Relais' own problems,
 * the store being away (503 with {@code Retry-After}), unreadable bodies (400 naming the
 * field, never a class name), Spring MVC's own exceptions with stable types, and anything else
 * as a 500 incident whose id the log shows.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  private final ElasticsearchStore store;

  public ProblemHandler(ElasticsearchStore store) {
    this.store = store;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> relais(ApiException e) {
    ProblemDetail problem = Problems.of(e.status(), e.type(), e.title(), e.getMessage());
    e.properties().forEach(problem::setProperty);
    return ResponseEntity.status(e.status()).body(problem);
  }

  @ExceptionHandler(StoreUnavailableException.class)
  ResponseEntity<ProblemDetail> storeUnavailable(StoreUnavailableException e) {
    long seconds = store.retryAfter().toSeconds();
    log.warn("Store unavailable: {}", e.getMessage());
    ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Store unavailable",
        "The contact store cannot be reached right now; try again in " + seconds + " s.");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> bug(Exception e, HttpServletRequest request) {
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(Problems.incident(e, request.getMethod() + " " + request.getRequestURI()));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (hasCause(e, BodyLimitFilter.BodyTooLargeException.class)) {
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Problems.of(HttpStatus.PAYLOAD_TOO_LARGE,
          "payload-too-large", "Payload too large", BodyLimitFilter.tooLarge(e)));
    }
    ProblemDetail problem = unreadable(e);
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(problem);
  }

  /** The message of a record's own null check: the name of the missing field, nothing else. */
  private static final Pattern REQUIRED_NAME = Pattern.compile("[a-z][A-Za-z]{0,40}");

  /** What is wrong with a body, in the caller's terms: which field, what was expected. */
  static ProblemDetail unreadable(HttpMessageNotReadableException e) {
    Throwable cause = e.getMostSpecificCause();
    JsonMappingException mapping = find(e, JsonMappingException.class);
    StreamReadException syntax = find(e, StreamReadException.class);
    JsonProcessingException json = syntax != null ? syntax : mapping;
    String field = mapping != null ? path(mapping) : "";
    String where = json != null && json.getLocation() != null
        ? " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")"
        : "";
    String detail;
    if (json == null) {
      detail = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
          ? "This call needs a request body."
          : "The request body cannot be read.";
    } else if (json == syntax && String.valueOf(json.getOriginalMessage()).startsWith("Duplicate field")) {
      String name = duplicateName(json.getOriginalMessage()).replace("'", "");
      field = field.isEmpty() ? name : field + "." + name;
      detail = "The field '" + field + "' appears twice" + where + ".";
    } else if (json instanceof MismatchedInputException && String.valueOf(json.getOriginalMessage()).startsWith("Trailing token")) {
      detail = "There is more after the JSON value" + where + "; send exactly one value.";
    } else if (json == syntax) {
      detail = "The request body is not valid JSON" + where + ".";
    } else if (json instanceof ValueInstantiationException && cause instanceof IllegalArgumentException invalid
        && invalid.getMessage() != null) {
      detail = (field.isEmpty() ? "" : "Field '" + field + "': ") + invalid.getMessage();
    } else if (json instanceof ValueInstantiationException && cause instanceof NullPointerException missing
        && missing.getMessage() != null && REQUIRED_NAME.matcher(missing.getMessage()).matches()) {
      // A required component, named by its record's Objects.requireNonNull. Only a bare name is
      // shown: the JDK's own messages of a null pointer name classes and methods.
      detail = (field.isEmpty() ? "The body" : "Field '" + field + "'") + " needs \"" + missing.getMessage()
          + "\"" + where + ".";
    } else if (json instanceof MismatchedInputException mismatch && !field.isEmpty()) {
      detail = "Field '" + field + "' must be " + expected(mismatch.getTargetType()) + where + ".";
    } else {
      detail = field.isEmpty()
          ? "The request body does not have the shape this call expects" + where + "."
          : "Field '" + field + "' has a value this call cannot use" + where + ".";
    }
    ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
    if (!field.isEmpty()) {
      problem.setProperty("field", field);
    }
    return problem;
  }

  private static String duplicateName(String message) {
    int start = message.indexOf('\'');
    int end = message.lastIndexOf('\'');
    return start >= 0 && end > start ? message.substring(start, end + 1) : "'?'";
  }

  // The JSON path of a mapping failure: contact.tags, history[2].at.
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

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    return find(e, type) != null;
  }

  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String supported = e.getSupportedMediaTypes().stream().map(Object::toString).collect(Collectors.joining(", "));
    ProblemDetail problem = Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "Send the body as " + (supported.isEmpty() ? "a supported media type" : supported) + ".");
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).headers(headers).body(problem);
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (body instanceof ProblemDetail problem) {
      if (status.value() == 500) {
        String where = request instanceof ServletWebRequest servlet
            ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
            : request.getDescription(false);
        ProblemDetail incident = Problems.incident(
            new IllegalStateException("framework answered " + status.value() + ": " + problem.getDetail()), where);
        return super.createResponseEntity(incident, headers, status, request);
      }
      if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
        problem.setType(java.net.URI.create(Problems.BASE + Problems.typeFor(status)));
      }
      if (status.value() == 404) {
        problem.setDetail("There is nothing at this path.");
      }
      if (problem.getProperties() != null) {
        Map<String, Object> properties = problem.getProperties();
        properties.keySet().removeIf(key -> !key.equals("field") && !key.equals("diagnostics"));
      }
    }
    return super.createResponseEntity(body, headers, status, request);
  }
}
