package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.evaluation.CompiledRuleset;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redemptions against the build's node: exact under concurrency. */
class RedemptionsIT {

  private final StoreFixture fixture = new StoreFixture();
  private final CompiledRuleset loyalty = StoreFixture.compile("""
      reward "voucher" costs 30 points
      """);

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private void storeWithLots(BigDecimal... points) {
    Instant now = fixture.clock.instant();
    List<Contact.LedgerLot> lots = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      lots.add(new Contact.LedgerLot(points[i], now, now.plus(Duration.ofDays(10 + i)), "gift", "test"));
    }
    Contact anna = Contact.withId("c-1");
    anna = anna.withState(0, anna.stage(), anna.tags(), anna.segments(), "", lots, List.of(), anna.alerts());
    assertThat(fixture.contacts.write(StoredContact.absent(anna), anna, List.of(), now)).isTrue();
  }

  @Test
  void fiftyConcurrentRedemptionsOnABalanceForTenGrantExactlyTen() throws Exception {
    storeWithLots(new BigDecimal(100), new BigDecimal(200)); // 300 = 10 vouchers
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Redemptions.Result> results = new ArrayList<>();
    try {
      List<Callable<Redemptions.Result>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(() -> fixture.redemptions.redeem("c-1", "voucher", loyalty.checked()));
      }
      for (Future<Redemptions.Result> f : pool.invokeAll(calls)) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(results).filteredOn(Redemptions.Redeemed.class::isInstance).hasSize(10);
    assertThat(results).filteredOn(Redemptions.TooLow.class::isInstance).hasSize(40);
    Contact after = fixture.contacts.read("c-1").orElseThrow().contact();
    assertThat(ContactDocuments.balance(after, fixture.clock.instant())).isEqualByComparingTo("0");
  }

  /**
   * The redemption's write is applied and answered 409 (sent again after a fail-over): the
   * re-read finds the redemption's own mark and answers it, instead of taking the cost again.
   */
  @Test
  void aRedemptionAppliedButAnsweredAsAConflictTakesItsCostOnce() {
    storeWithLots(new BigDecimal(100));
    Redemptions redemptions = new Redemptions(fixture.contactsAnsweringConflictFor(java.util.Set.of("c-1")),
        fixture.clock, fixture.settings);

    Redemptions.Result result = redemptions.redeem("c-1", "voucher", loyalty.checked());

    assertThat(result).isInstanceOfSatisfying(Redemptions.Redeemed.class,
        redeemed -> assertThat(redeemed.balance()).isEqualByComparingTo("70"));
    Contact after = fixture.contacts.read("c-1").orElseThrow().contact();
    assertThat(ContactDocuments.balance(after, fixture.clock.instant())).as("30 taken once").isEqualByComparingTo("70");
  }

  @Test
  void aBalanceTooLowChangesNothing() {
    storeWithLots(new BigDecimal(20));

    Redemptions.Result result = fixture.redemptions.redeem("c-1", "voucher", loyalty.checked());

    assertThat(result).isEqualTo(new Redemptions.TooLow("voucher", new BigDecimal(30), new BigDecimal(20)));
    assertThat(fixture.contacts.read("c-1").orElseThrow().contact().ledger()).hasSize(1);
  }

  @Test
  void unknownRewardsAndContactsAreSaidSo() {
    assertThat(fixture.redemptions.redeem("c-1", "nope", loyalty.checked()))
        .isEqualTo(new Redemptions.UnknownReward("nope"));
    assertThat(fixture.redemptions.redeem("nobody", "voucher", loyalty.checked()))
        .isEqualTo(new Redemptions.UnknownContact("nobody"));
  }
}
