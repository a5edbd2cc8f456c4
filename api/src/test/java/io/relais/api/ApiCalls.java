package io.relais.api;

import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** An API call as the API tests make it: an API key (or none), a content type (or none), a body. */
public final class ApiCalls {

  private ApiCalls() {}

  /** The answer, whatever its status, with its body as text. */
  public static ResponseEntity<String> exchange(TestRestTemplate http, HttpMethod method, String path, String key,
      MediaType type, String body) {
    HttpHeaders headers = new HttpHeaders();
    if (key != null) {
      headers.set("X-API-Key", key);
    }
    if (type != null) {
      headers.setContentType(type);
    }
    return http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
  }
}
