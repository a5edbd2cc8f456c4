package io.relais.api.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.api.config.DemoProperties;
import io.relais.engine.store.ContactIndex;
import io.relais.engine.store.ElasticsearchStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Stores the demo contacts at start when {@code relais.demo.load-contacts} is on. */
@Component
public class DemoContactsLoader implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoContactsLoader.class);

  private final DemoProperties demo;
  private final ElasticsearchStore store;
  private final ObjectMapper json;

  public DemoContactsLoader(DemoProperties demo, ElasticsearchStore store, ObjectMapper json) {
    this.demo = demo;
    this.store = store;
    this.json = json;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    if (!demo.loadContacts()) {
      return;
    }
    List<Map<String, Object>> contacts;
    try (InputStream in = demo.contacts().getInputStream()) {
      contacts = json.readValue(in, new TypeReference<>() {});
    }
    ContactIndex index = new ContactIndex(store);
    index.ensureExists();
    int created = index.createMissing(contacts);
    log.info(
        "Demo contacts: {} stored in {}, {} were already there",
        created,
        index.name(),
        contacts.size() - created);
  }
}
