package io.relais.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on a plain socket, so a test sends the request line exactly as written: HTTP
 * clients normalise paths ({@code ./}, {@code ..}, {@code %61}), which is what attackers do not.
 */
public final class RawHttp {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status, headers (lower-case names) and body. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    /** The problem's type without the base URI, or what the body is instead. */
    public String problemType() {
      if (!contentType().startsWith("application/problem+json")) {
        return "not a problem: " + contentType();
      }
      return json().path("type").asText().replace(io.relais.api.web.Problems.BASE, "");
    }
  }

  private RawHttp() {}

  public static Answer send(int port, String method, String target, Map<String, String> headers, String body)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder()
        .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    if (body != null) {
      request.append("Content-Length: ").append(content.length).append("\r\n");
    }
    request.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  /** Reads one answer (the server closes the connection after it, or sends its length). */
  public static Answer read(InputStream in) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (headers.containsKey("content-length")) {
      byte[] bytes = in.readNBytes(Integer.parseInt(headers.get("content-length")));
      body.write(bytes);
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
        body.write(in.readNBytes(size));
        line(in);
      }
    } else {
      body.write(in.readAllBytes());
    }
    return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b < 0 && line.size() == 0) {
      throw new IOException("connection closed before an answer");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
