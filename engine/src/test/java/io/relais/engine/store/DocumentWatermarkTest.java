package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentWatermarkTest {

  private final DocumentWatermark mark = new DocumentWatermark();

  @Test
  void anOpenTicketIsNotVouchedFor() {
    PendingEvent.Origin t = mark.open();

    assertThat(mark.vouchesFor(t)).isFalse();
  }

  @Test
  void aClosedTicketIsVouchedForOnlyOnceEveryEarlierOneIsSettled() {
    PendingEvent.Origin first = mark.open();
    PendingEvent.Origin second = mark.open();

    mark.close(second);
    // Its document is searchable, but the watermark only knows what lies below every open ticket.
    assertThat(mark.vouchesFor(second)).isFalse();

    mark.close(first);
    assertThat(mark.vouchesFor(first)).isTrue();
    assertThat(mark.vouchesFor(second)).isTrue();
  }

  @Test
  void aReleasedTicketLetsTheWatermarkPass() {
    PendingEvent.Origin lost = mark.open();
    PendingEvent.Origin won = mark.open();
    mark.close(won);

    mark.release(lost);

    assertThat(mark.vouchesFor(won)).isTrue();
  }

  @Test
  void anAbandonedTicketEndsItsRecorderForGood() {
    PendingEvent.Origin before = mark.open();
    mark.close(before);
    PendingEvent.Origin unknown = mark.open();

    mark.abandon(unknown);

    assertThat(mark.vouchesFor(before)).isFalse();
    assertThat(mark.vouchesFor(unknown)).isFalse();
    // Settling it afterwards changes nothing: its recorder is gone.
    mark.close(unknown);
    assertThat(mark.vouchesFor(unknown)).isFalse();
    PendingEvent.Origin after = mark.open();
    assertThat(after.recorder()).isNotEqualTo(unknown.recorder());
    mark.close(after);
    assertThat(mark.vouchesFor(after)).isTrue();
  }

  @Test
  void anOldTicketSettledAfterItsRecorderWasAbandonedDoesNotMoveTheNewOne() {
    PendingEvent.Origin old = mark.open();
    mark.abandon(mark.open());
    PendingEvent.Origin open = mark.open();
    PendingEvent.Origin closed = mark.open();
    mark.close(closed);

    mark.close(old);

    assertThat(mark.vouchesFor(closed)).isFalse();
    mark.close(open);
    assertThat(mark.vouchesFor(closed)).isTrue();
  }

  @Test
  void anotherRecordersEntryOrOneWithNoOriginIsNeverVouchedFor() {
    DocumentWatermark other = new DocumentWatermark();
    PendingEvent.Origin theirs = other.open();
    other.close(theirs);
    mark.close(mark.open());

    assertThat(mark.vouchesFor(theirs)).isFalse();
    assertThat(mark.vouchesFor(null)).isFalse();
  }

  /**
   * An entry of this recorder whose ticket is open is coming (kept, not adopted again); one of
   * another recorder, of an abandoned one, or with no origin is not: it is adopted.
   */
  @Test
  void onlyThisRecordersTicketsAreIssuedHere() {
    PendingEvent.Origin open = mark.open();
    DocumentWatermark other = new DocumentWatermark();

    assertThat(mark.issued(open)).isTrue();
    assertThat(mark.issued(other.open())).isFalse();
    assertThat(mark.issued(null)).isFalse();
    mark.abandon(open);
    assertThat(mark.issued(open)).isFalse();
  }
}
