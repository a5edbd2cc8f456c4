package io.relais.bench.drl;

/** An event as a hand-written DRL rule base would model it: ages precomputed against now. */
public class BEvent {
  private final String type;
  private final long ageHours;
  /** Whole days on the wall clock of the ruleset's zone, as the language counts them. */
  private final long ageDays;
  private final String url;
  private final String title;
  private final double amount;
  private final boolean triggering;

  public BEvent(String type, long ageHours, long ageDays, String url, String title, double amount,
      boolean triggering) {
    this.type = type;
    this.ageHours = ageHours;
    this.ageDays = ageDays;
    this.url = url;
    this.title = title;
    this.amount = amount;
    this.triggering = triggering;
  }

  public String getType() {
    return type;
  }

  public long getAgeHours() {
    return ageHours;
  }

  public long getAgeDays() {
    return ageDays;
  }

  public String getUrl() {
    return url;
  }

  public String getTitle() {
    return title;
  }

  public double getAmount() {
    return amount;
  }

  public boolean isTriggering() {
    return triggering;
  }
}
