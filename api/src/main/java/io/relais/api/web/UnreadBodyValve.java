package io.relais.api.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * When a request ends without its body having been read (refused with 401, 403, 413, 503, or
 * a body the call does not use), Tomcat would drain the rest of the body before the next
 * request on the connection, holding a worker for as long as a slow client takes to send it.
 * This valve tells Tomcat to close the connection instead.
 */
public final class UnreadBodyValve extends ValveBase {

  public UnreadBodyValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    try {
      getNext().invoke(request, response);
    } finally {
      if (!request.isAsync()) {
        AtomicBoolean fullyRead = new AtomicBoolean(true);
        request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
        if (!fullyRead.get()) {
          response.getCoyoteResponse().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
      }
    }
  }
}
