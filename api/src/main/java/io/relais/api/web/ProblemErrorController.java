package io.relais.api.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}) as problem details, replacing Spring Boot's
 * Whitelabel page and its {@code {"timestamp","status","error"}} JSON: what reaches it is a
 * {@code sendError} or an exception thrown outside a controller (in a filter, say). Hidden from
 * the OpenAPI document: it is no operation of the API, and its problems are listed on each one.
 * Asked for directly, {@code /error} is an unknown path (404).
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

  @RequestMapping("/error")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (code == null) {
      // Not an error dispatch: /error asked for by a client (with an admin key, as any path
      // without a rule), which finds nothing here. No incident: nothing failed.
      return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(Problems.of(HttpStatus.NOT_FOUND, "There is nothing at this path."));
    }
    int status = code instanceof Integer value ? value : 500;
    Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    ProblemDetail problem;
    if (status >= 500 || status < 400) {
      status = 500;
      problem = Problems.incident(failure, request.getMethod() + " " + uri);
    } else {
      problem = Problems.of(HttpStatusCode.valueOf(status), switch (status) {
        case 401 -> "Send a valid API key in the X-API-Key header.";
        case 403 -> "This API key lacks the role this call needs.";
        case 404 -> "There is nothing at this path.";
        case 405 -> "This path does not accept this method.";
        case 413 -> "The request is too large.";
        default -> HttpStatus.resolve(status) == null ? "The request cannot be served."
            : HttpStatus.resolve(status).getReasonPhrase() + ".";
      });
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }
}
