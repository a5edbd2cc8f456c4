package io.relais.api.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as problem details, mapped here once: Relais' own problems, and Spring's
 * (malformed JSON, wrong method or media type, unknown path) with stable type URIs.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> relais(ApiException e) {
    ProblemDetail problem = Problems.of(e.status(), e.type(), e.title(), e.getMessage());
    e.properties().forEach(problem::setProperty);
    return ResponseEntity.status(e.status()).body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      org.springframework.http.converter.HttpMessageNotReadableException e, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    if (hasCause(e, ApiAccessFilter.BodyTooLargeException.class)) {
      ProblemDetail problem = Problems.of(org.springframework.http.HttpStatus.PAYLOAD_TOO_LARGE,
          "payload-too-large", "Payload too large", e.getMostSpecificCause().getMessage());
      return ResponseEntity.status(413).body(problem);
    }
    return super.handleHttpMessageNotReadable(e, headers, status, request);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (body instanceof ProblemDetail problem && (problem.getType() == null
        || "about:blank".equals(problem.getType().toString()))) {
      problem.setType(java.net.URI.create(Problems.BASE + Problems.typeFor(status)));
      if (status.value() == 400 && problem.getDetail() != null && problem.getDetail().startsWith("Failed to read request")) {
        problem.setDetail("The request body is not valid JSON for this call.");
      }
    }
    return super.createResponseEntity(body, headers, status, request);
  }
}
