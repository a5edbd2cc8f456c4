package io.relais.api.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.api.config.DemoProperties;
import io.relais.engine.contact.Contact;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.StoredContact;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Stores the demo contacts at start when {@code relais.demo.load-contacts} is on; contacts
 * already stored are left as they are, so a restart never undoes what rules did.
 */
@Component
@Order(StoreStartup.ORDER + 1)
public class DemoContactsLoader implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoContactsLoader.class);

  private final DemoProperties demo;
  private final ContactStore contacts;
  private final ObjectMapper json;
  private final Clock clock;

  public DemoContactsLoader(DemoProperties demo, ContactStore contacts, ObjectMapper json, Clock clock) {
    this.demo = demo;
    this.contacts = contacts;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    if (!demo.loadContacts()) {
      return;
    }
    List<Map<String, Object>> list;
    try (InputStream in = demo.contacts().getInputStream()) {
      list = json.readValue(in, new TypeReference<>() {});
    }
    int created = 0;
    for (Map<String, Object> item : list) {
      Contact contact = json.convertValue(item, Contact.class);
      if (contacts.read(contact.id()).isEmpty()
          && contacts.write(StoredContact.absent(contact), contact, List.of(), clock.instant())) {
        created++;
      }
    }
    log.info("Demo contacts: {} stored, {} were already there", created, list.size() - created);
  }
}
