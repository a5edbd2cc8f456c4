package io.relais.engine.actions;

/** Told of every attempt and every delivery that ended: the service counts them (Prometheus). */
public interface DeliveryListener {

  /** Counts nothing. */
  DeliveryListener NONE = new DeliveryListener() {
    @Override
    public void attempted(String webhook, String result) {}

    @Override
    public void ended(String webhook, String outcome) {}
  };

  /**
   * One attempt to {@code webhook}: {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}, {@code
   * timeout}, {@code refused} (no connection) or {@code error}.
   */
  void attempted(String webhook, String result);

  /** A delivery to {@code webhook} ended {@code delivered} or {@code failed}. */
  void ended(String webhook, String outcome);
}
