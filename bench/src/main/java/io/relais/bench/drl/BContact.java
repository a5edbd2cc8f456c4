package io.relais.bench.drl;

import java.util.HashMap;
import java.util.Map;

/** The contact as a hand-written DRL rule base would model it: a mutable bean. */
public class BContact {
  private int score;
  private int stage; // funnel position: 1 LEAD, 2 MQL, 3 SQL
  private final Map<String, Integer> tags = new HashMap<>();
  private String firstName;
  private int decisions;

  public int getScore() {
    return score;
  }

  public void setScore(int score) {
    this.score = score;
  }

  public int getStage() {
    return stage;
  }

  public void setStage(int stage) {
    this.stage = stage;
  }

  public Map<String, Integer> getTags() {
    return tags;
  }

  public int tag(String name) {
    return tags.getOrDefault(name, 0);
  }

  public void addTag(String name) {
    tags.merge(name, 1, Integer::sum);
  }

  public String getFirstName() {
    return firstName;
  }

  public void setFirstName(String firstName) {
    this.firstName = firstName;
  }

  public int getDecisions() {
    return decisions;
  }

  public void decided() {
    decisions++;
  }
}
