package io.relais.engine.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What is read of a receiver's answer: its first bytes, and nothing more is asked for. */
class FirstBytesTest {

  private final AtomicLong requested = new AtomicLong();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final Flow.Subscription subscription = new Flow.Subscription() {
    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  };

  private static List<ByteBuffer> chunk(String text) {
    return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String body(DeliveryWorker.FirstBytes first) {
    return new String(first.getBody().toCompletableFuture().join(), StandardCharsets.UTF_8);
  }

  @Test
  void readingStopsAtTheLimitAndTheRestIsNeverAskedFor() {
    DeliveryWorker.FirstBytes first = new DeliveryWorker.FirstBytes(8);
    first.onSubscribe(subscription);
    first.onNext(chunk("12345"));
    assertThat(first.getBody().toCompletableFuture()).isNotDone();
    first.onNext(chunk("6789abcdef"));
    assertThat(body(first)).isEqualTo("12345678");
    assertThat(cancelled).isTrue();
    assertThat(requested.get()).isEqualTo(2);
  }

  @Test
  void aBodyCutAtTheDeadlineIsWhatWasReadByThen() {
    DeliveryWorker.FirstBytes first = new DeliveryWorker.FirstBytes(800);
    first.onSubscribe(subscription);
    first.onNext(chunk("<html>slow"));
    first.cut();
    assertThat(body(first)).isEqualTo("<html>slow");
    assertThat(cancelled).isTrue();
  }

  @Test
  void aShortBodyIsReadToItsEnd() {
    DeliveryWorker.FirstBytes first = new DeliveryWorker.FirstBytes(800);
    first.onSubscribe(subscription);
    first.onNext(chunk("ok"));
    first.onComplete();
    assertThat(body(first)).isEqualTo("ok");
    assertThat(cancelled).isFalse();
  }
}
