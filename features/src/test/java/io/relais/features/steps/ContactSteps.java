package io.relais.features.steps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.When;
import io.relais.features.driver.Json;
import io.relais.features.steps.Domain.ContactProfile;
import io.relais.features.steps.Domain.HistoryEvent;
import io.relais.features.steps.Domain.PointsLot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Who the scenario is about: the contact's profile, its state, its past events. */
public class ContactSteps {

  private final World world;
  private ObjectNode profile;

  public ContactSteps(World world) {
    this.world = world;
  }

  @Given("a contact {string}")
  public void aContact(String id) {
    aContactWith(id, new ContactProfile(Domain.object()));
  }

  @Given("a contact {string} with:")
  public void aContactWith(String id, ContactProfile fields) {
    world.setContactId(id);
    profile = fields.json().deepCopy();
    if (!profile.has("email") && id.contains("@")) {
      profile.put("email", id);
    }
    world.relais.putContact(id, profile);
  }

  @Given("the contact holds points:")
  public void theContactHoldsPoints(List<PointsLot> lots) {
    requireContact();
    Instant now = world.now();
    ArrayNode ledger = profile.putArray("ledger");
    for (PointsLot lot : lots) {
      ObjectNode json = ledger.addObject();
      json.put("points", lot.points());
      json.put("earnedAt", lot.earned().resolve(now, world.zone()).toString());
      json.put("expiresAt", lot.expires().map(e -> e.resolve(now, world.zone()).toString()).orElse(null));
      json.put("reason", lot.reason());
      json.put("rule", lot.rule());
    }
    world.relais.putContact(world.contactId(), profile);
  }

  /** The contact in focus is the one kept; {@code from} becomes its alias. */
  @When("the contact {string} is merged into the contact")
  public void merged(String from) {
    requireContact();
    world.relais.merge(world.contactId(), from);
  }

  /** A redemption is no event: it decides nothing and the next evaluation sees its ledger. */
  @When("the contact redeems the reward {string}")
  public void redeems(String reward) {
    requireContact();
    world.relais.redeem(world.contactId(), reward);
  }

  @Given("the contact's history:")
  public void theContactsHistory(List<HistoryEvent> events) {
    Instant now = world.now();
    List<ObjectNode> json = new ArrayList<>();
    for (HistoryEvent event : events) {
      ObjectNode e = Domain.object();
      e.put("id", event.id() != null ? event.id() : world.nextEventId());
      e.put("type", event.type());
      e.put("at", event.at().resolve(now, world.zone()).toString());
      e.set("attributes", Json.tree(event.attributes()));
      json.add(e);
    }
    world.relais.recordHistory(world.contactId(), json);
  }

  private void requireContact() {
    if (profile == null) {
      throw new AssertionError("Say who the contact is first: Given a contact \"...\" with:");
    }
  }
}
