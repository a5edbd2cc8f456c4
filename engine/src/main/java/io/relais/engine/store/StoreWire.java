package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperationBase;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.elasticsearch.core.get.GetResult;
import co.elastic.clients.elasticsearch.core.mget.MultiGetError;
import co.elastic.clients.elasticsearch.core.mget.MultiGetOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * The two requests on every event's path, {@code _mget} and {@code _bulk}, written and read with
 * Jackson's streaming API over the low-level client, answering the typed client's own item
 * classes. The typed client reads a multi-get item through a union deserializer that buffers the
 * whole item (the contact's source included) to find its variant, then reads it again through
 * JSON-P: that was a sixth of the service's CPU on the event path (docs/performance.md). What
 * goes on the wire and what callers get back is the same ({@code StoreWireTest} compares both
 * with the typed client's serialisers and deserialisers); a failed request throws the same
 * {@link ElasticsearchException}, with the answer's status and error, so {@link StoreCalls} and
 * the circuit breaker see no difference.
 */
final class StoreWire {

  private static final ContentType JSON = ContentType.APPLICATION_JSON;
  private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

  private final Rest5Client rest;
  private final ObjectMapper json;
  private final ObjectReader sources;
  private final String waitTimeout; // the bulks' "timeout"; null: Elasticsearch's default

  /**
   * @param json the mapper the typed client reads and writes documents with, so that sources
   *     and documents come out as they did through it
   * @param waitTimeout {@link StoreSettings#waitTimeout()}, sent as each bulk's {@code timeout};
   *     null: not sent
   */
  StoreWire(Rest5Client rest, ObjectMapper json, Duration waitTimeout) {
    this.rest = rest;
    this.json = json;
    this.sources = json.readerFor(Map.class);
    this.waitTimeout = waitTimeout == null ? null : waitTimeout.toMillis() + "ms";
  }

  /**
   * A multi-get of {@code documents} (index, id, routing of each); with {@code realtime} false,
   * of the refreshed view and without sources.
   */
  @SuppressWarnings("rawtypes")
  List<MultiGetResponseItem<Map>> mget(List<MultiGetOperation> documents, boolean realtime) throws IOException {
    Body body = new Body(64 * documents.size() + 16);
    try (JsonGenerator out = json.getFactory().createGenerator(body)) {
      out.writeStartObject();
      out.writeArrayFieldStart("docs");
      for (MultiGetOperation document : documents) {
        if (document.source() != null || !document.storedFields().isEmpty() || document.version() != null
            || document.versionType() != null) {
          throw new IllegalArgumentException("only index, id and routing are sent: " + document);
        }
        out.writeStartObject();
        writeIfSet(out, "_id", document.id());
        writeIfSet(out, "_index", document.index());
        writeIfSet(out, "routing", document.routing());
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    Request request = new Request("POST", "/_mget");
    request.addParameter("realtime", Boolean.toString(realtime));
    if (!realtime) {
      request.addParameter("_source", "false");
    }
    request.setEntity(body.entity(JSON));
    return objectsOf(send(request, "mget"), "docs", documents.size(), this::mgetItem);
  }

  @SuppressWarnings("rawtypes")
  private MultiGetResponseItem<Map> mgetItem(JsonParser in) throws IOException {
    String index = null;
    String id = null;
    String routing = null;
    Long version = null;
    Long seqNo = null;
    Long primaryTerm = null;
    boolean found = false;
    Map source = null;
    ErrorCause error = null;
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String field = in.currentName();
      if (in.nextToken() == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "_index" -> index = in.getText();
        case "_id" -> id = in.getText();
        case "_routing" -> routing = in.getText();
        case "_version" -> version = in.getLongValue();
        case "_seq_no" -> seqNo = in.getLongValue();
        case "_primary_term" -> primaryTerm = in.getLongValue();
        case "found" -> found = in.getBooleanValue();
        case "_source" -> source = sources.readValue(in);
        case "error" -> error = errorCause(in);
        default -> in.skipChildren();
      }
    }
    if (error != null) {
      MultiGetError failure = new MultiGetError.Builder().index(index).id(id).error(error).build();
      return new MultiGetResponseItem.Builder<Map>().failure(failure).build();
    }
    GetResult<Map> result = new GetResult.Builder<Map>().index(index).id(id).found(found).version(version)
        .seqNo(seqNo).primaryTerm(primaryTerm).routing(routing).source(source).build();
    return new MultiGetResponseItem.Builder<Map>().result(result).build();
  }

  /**
   * A bulk request of index and create operations (index, id, routing, {@code if_seq_no} and
   * {@code if_primary_term}, the document), without refresh.
   */
  List<BulkResponseItem> bulk(List<BulkOperation> operations) throws IOException {
    return bulk(operations, false);
  }

  /**
   * {@link #bulk(List)}; with {@code waitForRefresh}, answered only once a refresh made its
   * documents visible to searches ({@code refresh=wait_for}), without forcing one.
   */
  List<BulkResponseItem> bulk(List<BulkOperation> operations, boolean waitForRefresh) throws IOException {
    Body body = new Body(1024 * operations.size());
    try (JsonGenerator out = json.getFactory().createGenerator(body)) {
      out.setRootValueSeparator(null);
      for (BulkOperation operation : operations) {
        String action;
        BulkOperationBase meta;
        Object document;
        if (operation.isIndex()) {
          action = "index";
          meta = operation.index();
          document = operation.index().document();
          checkPlain(operation.index().pipeline(), operation.index().requireAlias(),
              operation.index().dynamicTemplates(), operation);
        } else if (operation.isCreate()) {
          action = "create";
          meta = operation.create();
          document = operation.create().document();
          checkPlain(operation.create().pipeline(), operation.create().requireAlias(),
              operation.create().dynamicTemplates(), operation);
        } else {
          throw new IllegalArgumentException("only index and create operations are sent: " + operation._kind());
        }
        if (meta.version() != null || meta.versionType() != null) {
          throw new IllegalArgumentException("external versions are not sent: " + operation);
        }
        out.writeStartObject();
        out.writeObjectFieldStart(action);
        writeIfSet(out, "_id", meta.id());
        writeIfSet(out, "_index", meta.index());
        if (meta.ifPrimaryTerm() != null) {
          out.writeNumberField("if_primary_term", meta.ifPrimaryTerm());
        }
        if (meta.ifSeqNo() != null) {
          out.writeNumberField("if_seq_no", meta.ifSeqNo());
        }
        writeIfSet(out, "routing", meta.routing());
        out.writeEndObject();
        out.writeEndObject();
        out.writeRaw('\n');
        json.writeValue(out, document); // leaves the generator open: the body goes on
        out.writeRaw('\n');
      }
    }
    Request request = new Request("POST", "/_bulk");
    request.addParameter("refresh", waitForRefresh ? "wait_for" : "false");
    if (waitTimeout != null) {
      // Without it a write that waits for a master or a primary shard stays queued in the cluster
      // for a minute after the client stopped waiting, and may be applied when the cluster
      // recovers; with it the store drops the write and answers 503 (whole request, or per item).
      request.addParameter("timeout", waitTimeout);
    }
    request.setEntity(body.entity(NDJSON));
    return objectsOf(send(request, "bulk"), "items", operations.size(), in -> {
      expect(in, in.nextToken(), JsonToken.FIELD_NAME);
      OperationType type = OperationType._DESERIALIZER.parse(in.currentName());
      expect(in, in.nextToken(), JsonToken.START_OBJECT);
      BulkResponseItem item = bulkItem(in, type);
      expect(in, in.nextToken(), JsonToken.END_OBJECT);
      return item;
    });
  }

  private BulkResponseItem bulkItem(JsonParser in, OperationType type) throws IOException {
    BulkResponseItem.Builder item = new BulkResponseItem.Builder().operationType(type);
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String field = in.currentName();
      JsonToken value = in.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "_index" -> item.index(in.getText());
        case "_id" -> item.id(in.getText());
        case "status" -> item.status(in.getIntValue());
        case "_version" -> item.version(in.getLongValue());
        case "_seq_no" -> item.seqNo(in.getLongValue());
        case "_primary_term" -> item.primaryTerm(in.getLongValue());
        case "result" -> item.result(in.getText());
        case "forced_refresh" -> item.forcedRefresh(in.getBooleanValue());
        case "error" -> item.error(errorCause(in));
        default -> in.skipChildren();
      }
    }
    return item.build();
  }

  /** Reads one object of an answer's array, from its start token to its end token. */
  @FunctionalInterface
  private interface ElementReader<T> {
    T read(JsonParser in) throws IOException;
  }

  // The objects of the array {@code field} of an answer's top object; its other fields skipped.
  private <T> List<T> objectsOf(InputStream answer, String field, int expected, ElementReader<T> element)
      throws IOException {
    List<T> objects = new ArrayList<>(expected);
    try (JsonParser in = json.getFactory().createParser(answer)) {
      expect(in, in.nextToken(), JsonToken.START_OBJECT);
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        if (in.currentName().equals(field)) {
          expect(in, in.nextToken(), JsonToken.START_ARRAY);
          while (in.nextToken() == JsonToken.START_OBJECT) {
            objects.add(element.read(in));
          }
        } else {
          in.nextToken();
          in.skipChildren();
        }
      }
    }
    return objects;
  }

  // An error object: its type and reason (what callers read); the rest is skipped.
  private static ErrorCause errorCause(JsonParser in) throws IOException {
    String type = null;
    String reason = null;
    if (in.currentToken() == JsonToken.START_OBJECT) {
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String field = in.currentName();
        in.nextToken();
        switch (field) {
          case "type" -> type = in.getText();
          case "reason" -> reason = in.getText();
          default -> in.skipChildren();
        }
      }
    } else {
      reason = in.getText(); // some errors are a bare string
    }
    return new ErrorCause.Builder().type(type == null ? "unknown" : type).reason(reason).build();
  }

  // The answer's body on a 2xx (read by the parser from the client's buffer: no copy); otherwise
  // what the typed client throws.
  private InputStream send(Request request, String endpoint) throws IOException {
    // The low-level client throws a ResponseException (an IOException) itself for the statuses
    // it retries (502, 503, 504), as under the typed client; the others come back as answers.
    Response response = rest.performRequest(request);
    if (response.getStatusCode() >= 300) {
      throw failure(endpoint, response);
    }
    HttpEntity entity = response.getEntity();
    return entity == null ? InputStream.nullInputStream() : entity.getContent();
  }

  private ElasticsearchException failure(String endpoint, Response response) throws IOException {
    int status = response.getStatusCode();
    ErrorCause cause = null;
    HttpEntity entity = response.getEntity();
    if (entity != null) {
      byte[] body = EntityUtils.toByteArray(entity);
      try (JsonParser in = json.getFactory().createParser(body)) {
        if (in.nextToken() == JsonToken.START_OBJECT) {
          while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            if (field.equals("error")) {
              cause = errorCause(in);
            } else {
              in.skipChildren();
            }
          }
        }
      } catch (IOException notJson) {
        // A proxy's page, not the store's answer: the status says enough.
      }
    }
    ErrorCause error = cause != null ? cause
        : ErrorCause.of(e -> e.type("http_status_" + status).reason("the store answered " + status));
    return new ElasticsearchException(endpoint, ErrorResponse.of(r -> r.status(status).error(error)));
  }

  /** A request body handed to the client as it was written, without the copy toByteArray makes. */
  private static final class Body extends ByteArrayOutputStream {
    Body(int size) {
      super(size);
    }

    ByteArrayEntity entity(ContentType type) {
      return new ByteArrayEntity(buf, 0, count, type);
    }
  }

  private static void writeIfSet(JsonGenerator out, String field, String value) throws IOException {
    if (value != null) {
      out.writeStringField(field, value);
    }
  }

  private static void checkPlain(String pipeline, Boolean requireAlias, Map<String, String> templates,
      BulkOperation operation) {
    if (pipeline != null || requireAlias != null || !templates.isEmpty()) {
      throw new IllegalArgumentException("pipelines, aliases and dynamic templates are not sent: " + operation);
    }
  }

  private static void expect(JsonParser in, JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("unexpected answer from the store: " + actual + " where " + expected
          + " was expected, at " + in.currentLocation());
    }
  }
}
