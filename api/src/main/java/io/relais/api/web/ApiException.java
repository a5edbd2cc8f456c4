package io.relais.api.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A domain problem the edge turns into problem details once: status, stable type, detail, and
 * extra members (such as {@code diagnostics}).
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String type;
  private final String title;
  private final Map<String, Object> properties;

  public ApiException(HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.properties = Map.copyOf(properties);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, Map.of());
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail, Map.of());
  }

  public HttpStatus status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> properties() {
    return properties;
  }
}
