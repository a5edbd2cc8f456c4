package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Tomcat's last word as problem details instead of its HTML page: errors Tomcat answers
 * before the application sees the request (a path with {@code %2F}, {@code %00} or invalid
 * UTF-8, headers too large...). Never echoes Tomcat's message, which may quote the request.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  private static final ObjectMapper JSON =
      new ObjectMapper().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    HttpStatusCode code = HttpStatusCode.valueOf(status);
    ProblemDetail problem;
    if (status >= 500) {
      problem = Problems.incident(throwable, request.getMethod() + " " + request.getRequestURI());
    } else {
      problem = Problems.of(code, switch (status) {
        case 400 -> "The request is malformed: its path, query or headers are not accepted.";
        case 413 -> "The request is too large.";
        case 414 -> "The request path is too long.";
        case 431 -> "The request headers are too large.";
        default -> "The request cannot be served.";
      });
    }
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      response.getOutputStream().write(JSON.writeValueAsBytes(problem));
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response cannot be written: nothing more to do.
    }
  }
}
