package io.relais.features.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cucumber.java.en.When;
import io.relais.features.driver.Json;
import io.relais.features.steps.Domain.EventSpec;
import io.relais.features.steps.Domain.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the contact does. Each event is recorded in the contact's history and evaluated, at
 * the scenario's time, with the contact as the previous events left it.
 */
public class EventSteps {

  private final World world;

  public EventSteps(World world) {
    this.world = world;
  }

  @When("the contact visits {string}")
  public void visits(String url) {
    visitsTimes(url, 1);
  }

  @When("the contact visits {string} {int} time(s)")
  public void visitsTimes(String url, int times) {
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      events.add(event("page_visit", Map.of("url", url)));
    }
    world.apply("the contact visits \"" + url + "\"" + (times == 1 ? "" : " " + times + " times"), events);
  }

  /** A visit sent under another id than the contact in focus's: an alias, after a merge. */
  @When("the contact {string} visits {string}")
  public void anotherVisits(String id, String url) {
    world.apply("the contact \"" + id + "\" visits \"" + url + "\"", id,
        List.of(event("page_visit", Map.of("url", url))));
  }

  @When("the contact opens the e-mail {string}")
  public void opensEmail(String message) {
    send("the contact opens the e-mail \"" + message + "\"", "email_open", Map.of("message", message));
  }

  @When("the contact clicks {string} in the e-mail {string}")
  public void clicksEmail(String url, String message) {
    send("the contact clicks \"" + url + "\" in the e-mail \"" + message + "\"", "email_click",
        Map.of("message", message, "url", url));
  }

  @When("the contact submits the form {string}")
  public void submitsForm(String form) {
    send("the contact submits the form \"" + form + "\"", "form_submit", Map.of("form", form));
  }

  @When("the contact reads the newsletter {string}")
  public void readsNewsletter(String title) {
    send("the contact reads the newsletter \"" + title + "\"", "newsletter_read", Map.of("title", title));
  }

  @When("the contact likes the product {string}")
  public void likesProduct(String product) {
    send("the contact likes the product \"" + product + "\"", "product_like", Map.of("product", product));
  }

  @When("the contact fills the cart with {int} item(s) for {amount}")
  public void fillsCart(int items, Money value) {
    send("the contact fills the cart with " + items + " items for " + value.amount() + " " + value.currency(),
        "cart_update", Map.of("items", items, "value", value.amount()));
  }

  @When("the contact buys for {amount}")
  public void buys(Money money) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("order", "order-" + world.contactId() + "-" + (world.steps().size() + 1));
    attributes.put("amount", money.amount());
    attributes.put("currency", money.currency());
    attributes.put("items", 1);
    send("the contact buys for " + money.amount() + " " + money.currency(), "purchase", attributes);
  }

  @When("the contact sends the event:")
  public void sendsTheEvent(EventSpec spec) {
    ObjectNode event = event(spec.type(), spec.attributes());
    if (spec.id() != null) {
      event.put("id", spec.id());
    }
    spec.at().ifPresent(at -> event.put("at", at.resolve(world.now(), world.zone()).toString()));
    world.apply("the contact sends the event " + spec.type(), List.of(event));
  }

  /** The batch run sends every contact a {@code daily} event; here, the contact in focus. */
  @When("the daily run happens")
  public void theDailyRunHappens() {
    send("the daily run happens", "daily", Map.of());
  }

  private void send(String what, String type, Map<String, Object> attributes) {
    world.apply(what, List.of(event(type, attributes)));
  }

  private ObjectNode event(String type, Map<String, Object> attributes) {
    ObjectNode event = Domain.object();
    event.put("id", world.nextEventId());
    event.put("type", type);
    event.put("at", world.now().toString());
    event.set("attributes", Json.tree(attributes));
    return event;
  }
}
