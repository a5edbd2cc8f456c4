package io.relais.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.relais.engine.store.ContactMerges;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.GroupCommit;
import io.relais.engine.store.GroupRead;
import io.relais.engine.store.Redemptions;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreReads;
import io.relais.engine.store.StoreWrites;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Contacts and events in the store: indices, reads and conditional writes, the event protocol. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

  @Bean
  StoreCalls storeCalls(ElasticsearchStore store, MeterRegistry meters) {
    return new StoreCalls(store, failure -> meters.counter("relais.store.errors").increment());
  }

  @Bean
  StoreIndices storeIndices(ElasticsearchStore store, StoreCalls calls) {
    return new StoreIndices(store, calls);
  }

  /** Group commit: concurrent contact and event writes share bulk requests (and translog syncs). */
  @Bean(destroyMethod = "close")
  GroupCommit groupCommit(ElasticsearchStore store, StoreCalls calls, WritesProperties properties,
      MeterRegistry meters) {
    return new GroupCommit(StoreWrites.direct(store, calls), properties.toSettings(),
        refused -> meters.counter("relais.store.errors").increment());
  }

  /**
   * The event documents written after the answer (write B), in bulks of their own that wait for
   * the refresh that makes them searchable, so the event log knows which outbox entries can go
   * without a read.
   */
  @Bean(destroyMethod = "close")
  GroupCommit documentWrites(ElasticsearchStore store, StoreCalls calls, WritesProperties properties,
      MeterRegistry meters) {
    return new GroupCommit("relais-group-commit-documents", StoreWrites.searchable(store, calls),
        properties.documents().toSettings(), refused -> meters.counter("relais.store.errors").increment());
  }

  /** Grouped reads: the first reads of concurrent events share {@code _mget} requests. */
  @Bean(destroyMethod = "close")
  GroupRead groupRead(ElasticsearchStore store, StoreCalls calls, ReadsProperties properties,
      MeterRegistry meters) {
    return new GroupRead(StoreReads.direct(store, calls), properties.toSettings(),
        refused -> meters.counter("relais.store.errors").increment());
  }

  /** Drains the three above on shutdown, once the requests in flight are done. */
  @Bean
  GroupedWorkDrain groupedWorkDrain(List<GroupCommit> writes, List<GroupRead> reads) {
    return new GroupedWorkDrain(writes, reads);
  }

  @Bean
  ContactStore contactStore(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, ObjectMapper json,
      @Qualifier("groupCommit") GroupCommit writes, @Qualifier("groupRead") GroupRead reads) {
    return new ContactStore(store, indices, calls, json, writes, reads);
  }

  @Bean
  EventLog eventLog(ElasticsearchStore store, StoreIndices indices, StoreCalls calls,
      @Qualifier("groupCommit") GroupCommit writes, @Qualifier("documentWrites") GroupCommit documentWrites) {
    // Nothing on the hot path reads the refreshed view any more (outbox entries are adopted,
    // docs/store.md "Adopted entries"): no grouped reader for it.
    return new EventLog(store, indices, calls, writes, StoreReads.searchable(store, calls), documentWrites);
  }

  @Bean
  EventRecorder eventRecorder(ContactStore contacts, EventLog events, Clock clock,
      EventsProperties properties) {
    return new EventRecorder(contacts, events, clock, properties.toSettings());
  }

  @Bean
  ContactMerges contactMerges(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, ContactStore contacts,
      Clock clock, EventsProperties properties) {
    return new ContactMerges(store, indices, calls, contacts, clock, properties.toSettings());
  }

  @Bean
  Redemptions redemptions(ContactStore contacts, Clock clock, EventsProperties properties) {
    return new Redemptions(contacts, clock, properties.toSettings());
  }
}
