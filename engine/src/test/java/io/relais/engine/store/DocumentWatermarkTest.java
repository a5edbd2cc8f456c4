package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentWatermarkTest {

  private final DocumentWatermark mark = new DocumentWatermark();

  private static PendingEvent.Origin origin(DocumentWatermark.Ticket ticket) {
    return new PendingEvent.Origin(ticket.recorder(), ticket.sequence());
  }

  @Test
  void anOpenTicketIsNotVouchedFor() {
    DocumentWatermark.Ticket t = mark.open();

    assertThat(mark.vouchesFor(origin(t))).isFalse();
  }

  @Test
  void aClosedTicketIsVouchedForOnlyOnceEveryEarlierOneIsSettled() {
    DocumentWatermark.Ticket first = mark.open();
    DocumentWatermark.Ticket second = mark.open();

    mark.close(second);
    // Its document is searchable, but the watermark only knows what lies below every open ticket.
    assertThat(mark.vouchesFor(origin(second))).isFalse();

    mark.close(first);
    assertThat(mark.vouchesFor(origin(first))).isTrue();
    assertThat(mark.vouchesFor(origin(second))).isTrue();
  }

  @Test
  void aReleasedTicketLetsTheWatermarkPass() {
    DocumentWatermark.Ticket lost = mark.open();
    DocumentWatermark.Ticket won = mark.open();
    mark.close(won);

    mark.release(lost);

    assertThat(mark.vouchesFor(origin(won))).isTrue();
  }

  @Test
  void anAbandonedTicketEndsItsRecorderForGood() {
    DocumentWatermark.Ticket before = mark.open();
    mark.close(before);
    DocumentWatermark.Ticket unknown = mark.open();

    mark.abandon(unknown);

    assertThat(mark.vouchesFor(origin(before))).isFalse();
    assertThat(mark.vouchesFor(origin(unknown))).isFalse();
    // Settling it afterwards changes nothing: its recorder is gone.
    mark.close(unknown);
    assertThat(mark.vouchesFor(origin(unknown))).isFalse();
    DocumentWatermark.Ticket after = mark.open();
    assertThat(after.recorder()).isNotEqualTo(unknown.recorder());
    mark.close(after);
    assertThat(mark.vouchesFor(origin(after))).isTrue();
  }

  @Test
  void anOldTicketSettledAfterItsRecorderWasAbandonedDoesNotMoveTheNewOne() {
    DocumentWatermark.Ticket old = mark.open();
    mark.abandon(mark.open());
    DocumentWatermark.Ticket open = mark.open();
    DocumentWatermark.Ticket closed = mark.open();
    mark.close(closed);

    mark.close(old);

    assertThat(mark.vouchesFor(origin(closed))).isFalse();
    mark.close(open);
    assertThat(mark.vouchesFor(origin(closed))).isTrue();
  }

  @Test
  void anotherRecordersEntryOrOneWithNoOriginIsNeverVouchedFor() {
    DocumentWatermark other = new DocumentWatermark();
    DocumentWatermark.Ticket theirs = other.open();
    other.close(theirs);
    mark.close(mark.open());

    assertThat(mark.vouchesFor(new PendingEvent.Origin(theirs.recorder(), theirs.sequence()))).isFalse();
    assertThat(mark.vouchesFor(null)).isFalse();
  }
}
