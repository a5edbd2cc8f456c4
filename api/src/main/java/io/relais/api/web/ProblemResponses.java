package io.relais.api.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Completes every {@code /api} operation of the OpenAPI document with the failures it can
 * answer whatever the controller does: the filters, Spring Security and the handlers of
 * {@link ProblemHandler} sit in front of every path, so each operation can answer 400, 401,
 * 403, 406, 408, 413, 415, 500 and 503. A controller adds its own (404, 409, 422...) with
 * {@code @ApiResponse}; every failure is {@code application/problem+json} of the schema
 * {@code Problem}, and its description names the problem types (docs/api.md, "Problems").
 */
public final class ProblemResponses implements OpenApiCustomizer {

  /** The schema every failure's body has. */
  public static final String SCHEMA = "Problem";

  /** What any operation can answer, by status: the problem types and when. */
  static final Map<String, String> COMMON = common();

  private static Map<String, String> common() {
    Map<String, String> common = new LinkedHashMap<>();
    common.put("400", "bad-request: malformed JSON, a duplicate key, a value of the wrong type (`field` names"
        + " it), a missing member or body, a bad parameter, a refused path spelling, an unparseable Accept,"
        + " headers over 16 KB");
    common.put("401", "unauthorized: no X-API-Key or an unknown key");
    common.put("403", "forbidden: the key lacks the role this call needs");
    common.put("406", "not-acceptable: an Accept header that excludes JSON");
    common.put("408", "request-timeout: the body did not arrive within relais.api.body-read-timeout");
    common.put("413", "payload-too-large: a body over relais.api.max-body-size");
    common.put("415", "unsupported-media-type: a Content-Type the call does not take (multipart, forms, YAML,"
        + " XML, +json types), a wildcard or an unparseable one");
    common.put("417", "expectation-failed: an Expect header other than 100-continue");
    common.put("500", "server-error: a bug; `instance` is urn:relais:incident:<id>, the id the log shows");
    common.put("503", "store-unavailable: the store did not answer in time, is down or overloaded, or its"
        + " circuit is open (Retry-After); busy: too many request bodies arriving at once (Retry-After: 1)");
    return Map.copyOf(common);
  }

  @Override
  public void customise(OpenAPI openApi) {
    openApi.getComponents().addSchemas(SCHEMA, problemSchema());
    // Spring's own ProblemDetail type shows a "properties" member the JSON never has.
    if (openApi.getComponents().getSchemas() != null) {
      openApi.getComponents().getSchemas().remove("ProblemDetail");
    }
    if (openApi.getPaths() == null) {
      return;
    }
    openApi.getPaths().forEach((path, item) -> {
      if (path.startsWith("/api/")) {
        for (Operation operation : operations(item).values()) {
          complete(operation);
        }
      }
    });
  }

  private static Map<PathItem.HttpMethod, Operation> operations(PathItem item) {
    return item.readOperationsMap();
  }

  private static void complete(Operation operation) {
    ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    Map<String, ApiResponse> sorted = new TreeMap<>(responses);
    COMMON.forEach((status, description) -> {
      ApiResponse own = sorted.get(status);
      sorted.put(status, new ApiResponse().description(
          own == null || own.getDescription() == null || own.getDescription().isBlank()
              ? description
              : own.getDescription() + "; " + description));
    });
    ApiResponses completed = new ApiResponses();
    sorted.forEach((status, response) -> {
      if (status.startsWith("4") || status.startsWith("5")) {
        response.setContent(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA))));
      }
      completed.addApiResponse(status, response);
    });
    operation.setResponses(completed);
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    Map<String, Schema> properties = new LinkedHashMap<>();
    properties.put("type", new StringSchema().format("uri")
        .description(Problems.BASE + "<type>, the type the response's description names"));
    properties.put("title", new StringSchema());
    properties.put("status", new IntegerSchema());
    properties.put("detail", new StringSchema().description("what went wrong, for a human"));
    properties.put("instance", new StringSchema().format("uri")
        .description("urn:relais:incident:<id> for a server-error"));
    properties.put("field", new StringSchema().description("the member a bad-request is about"));
    properties.put("diagnostics", new Schema<>().type("array").description(
        "invalid-ruleset, invalid-condition: every diagnostic"));
    properties.put("retryable", new Schema<>().type("boolean").description("conflict: sending again is safe"));
    properties.put("cost", new Schema<>().type("number").description("insufficient-points"));
    properties.put("balance", new Schema<>().type("number").description("insufficient-points"));
    properties.put("part", new StringSchema().description("not-pushable: the part that cannot run in the store"));
    properties.put("file", new StringSchema().description("not-pushable: where the part is"));
    properties.put("line", new IntegerSchema().description("not-pushable"));
    properties.put("column", new IntegerSchema().description("not-pushable"));
    ObjectSchema schema = new ObjectSchema();
    schema.setProperties(properties);
    schema.setDescription("Problem details (RFC 9457)");
    return schema;
  }
}
