package io.relais.bench.drl;

/** An event as a hand-written DRL rule base would model it. */
public class BEvent {
  private final String type;
  private final long ageHours;
  private final String url;
  private final double amount;
  private final boolean triggering;

  public BEvent(String type, long ageHours, String url, double amount, boolean triggering) {
    this.type = type;
    this.ageHours = ageHours;
    this.url = url;
    this.amount = amount;
    this.triggering = triggering;
  }

  public String getType() {
    return type;
  }

  public long getAgeHours() {
    return ageHours;
  }

  public String getUrl() {
    return url;
  }

  public double getAmount() {
    return amount;
  }

  public boolean isTriggering() {
    return triggering;
  }
}
