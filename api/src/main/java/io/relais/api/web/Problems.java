package io.relais.api.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Problem details (RFC 9457) with Relais' stable type URIs. */
public final class Problems {

  /** The base of every problem type; documented in docs/api.md. */
  public static final String BASE = "https://relais.dev/problems/";

  private Problems() {}

  public static ProblemDetail of(HttpStatusCode status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(BASE + type));
    problem.setTitle(title);
    return problem;
  }

  /** The type that stands for a status when nothing more specific applies. */
  public static String typeFor(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    if (known == null) {
      return "error";
    }
    return switch (known) {
      case BAD_REQUEST -> "bad-request";
      case UNAUTHORIZED -> "unauthorized";
      case FORBIDDEN -> "forbidden";
      case NOT_FOUND -> "not-found";
      case METHOD_NOT_ALLOWED -> "method-not-allowed";
      case NOT_ACCEPTABLE -> "not-acceptable";
      case PAYLOAD_TOO_LARGE -> "payload-too-large";
      case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
      case UNPROCESSABLE_ENTITY -> "invalid-request";
      default -> known.is5xxServerError() ? "server-error" : "error";
    };
  }
}
