package io.relais.api.web;

import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
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

  /** What is wrong with a body, in the caller's terms: which field, what was expected (JsonMistakes). */
  static ProblemDetail unreadable(HttpMessageNotReadableException e) {
    JsonMistakes.Mistake mistake = JsonMistakes.of(e, "The request body", 0);
    if (mistake == null) {
      mistake = new JsonMistakes.Mistake("",
          e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
              ? "This call needs a request body."
              : "The request body cannot be read.");
    }
    ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", mistake.detail());
    mistake.properties().forEach(problem::setProperty);
    return problem;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    return JsonMistakes.find(e, type) != null;
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
