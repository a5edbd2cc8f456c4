package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Problem details (RFC 9457) with Relais' stable type URIs. */
public final class Problems {

  /** The base of every problem type; documented in docs/api.md. */
  public static final String BASE = "https://relais.dev/problems/";

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static ProblemDetail of(HttpStatusCode status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(BASE + type));
    problem.setTitle(title);
    return problem;
  }

  /** A problem of the status' own type and title. */
  public static ProblemDetail of(HttpStatusCode status, String detail) {
    HttpStatus known = HttpStatus.resolve(status.value());
    return of(status, typeFor(status), known == null ? "Error" : known.getReasonPhrase(), detail);
  }

  /**
   * A 500 for a bug: a fresh incident id in {@code instance}, logged with the failure, and
   * nothing of the failure itself in the answer.
   */
  public static ProblemDetail incident(Throwable failure, String where) {
    String id = UUID.randomUUID().toString();
    log.error("Incident {} while handling {}", id, where, failure);
    ProblemDetail problem = of(HttpStatus.INTERNAL_SERVER_ERROR, "server-error", "Internal error",
        "Something went wrong on our side; quote incident " + id + " when reporting it.");
    problem.setInstance(URI.create("urn:relais:incident:" + id));
    return problem;
  }

  /** Writes a problem as the whole response (filters, security handlers, Tomcat's valve). */
  public static void write(HttpServletResponse response, ProblemDetail problem, ObjectMapper json)
      throws IOException {
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), problem);
  }

  /** The type that stands for a status when nothing more specific applies. */
  public static String typeFor(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    if (known == null) {
      return status.is5xxServerError() ? "server-error" : "bad-request";
    }
    return switch (known) {
      case BAD_REQUEST -> "bad-request";
      case UNAUTHORIZED -> "unauthorized";
      case FORBIDDEN -> "forbidden";
      case NOT_FOUND -> "not-found";
      case METHOD_NOT_ALLOWED -> "method-not-allowed";
      case NOT_ACCEPTABLE -> "not-acceptable";
      case REQUEST_TIMEOUT -> "request-timeout";
      case CONFLICT -> "conflict";
      case PAYLOAD_TOO_LARGE -> "payload-too-large";
      case URI_TOO_LONG -> "uri-too-long";
      case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
      case EXPECTATION_FAILED -> "expectation-failed";
      case UNPROCESSABLE_ENTITY -> "invalid-request";
      case REQUEST_HEADER_FIELDS_TOO_LARGE -> "headers-too-large";
      case SERVICE_UNAVAILABLE -> "service-unavailable";
      default -> known.is5xxServerError() ? "server-error" : "bad-request";
    };
  }
}
