package io.relais.engine.evaluation;

import io.relais.dsl.check.Sending;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/**
 * The checks every marketing message goes through, a {@code send} or a campaign step alike
 * (docs/language.md "Time zones, quiet hours and caps"): the channel's consent, quiet hours
 * (which move {@code sendAt}) and frequency caps (which count the contact's message memory).
 */
final class Outgoing {

  private final Sending sending;

  Outgoing(Sending sending) {
    this.sending = sending;
  }

  /**
   * Decides one message: {@code MESSAGE}, or {@code SUPPRESSED} with its reason. A message
   * that goes out joins the message memory, so the next one of the same evaluation counts it.
   *
   * @param fields the decision's fields before {@code sendAt}: message, channel, and for a
   *     step campaign, step and dueAt
   */
  Decision decide(ContactFacts f, WorkingState s, Decision.RuleRef rule, String reason,
      String message, String channel, String campaign, Object... fields) {
    Instant sendAt = sendAt(f.now(), f.zone());
    Object[] all = new Object[fields.length + 6];
    all[0] = "message";
    all[1] = message;
    all[2] = "channel";
    all[3] = channel;
    System.arraycopy(fields, 0, all, 4, fields.length);
    all[all.length - 2] = "sendAt";
    all[all.length - 1] = sendAt;
    Decision decision = Decision.of(Decision.Type.MESSAGE, rule, reason, all);
    Contact.Consent consent = f.contact().consent();
    Boolean given = "sms".equals(channel) ? consent.sms() : consent.email();
    if (!Boolean.TRUE.equals(given)) {
      return decision.suppressed("no " + channel + " consent");
    }
    List<Contact.SentMessage> memory = s.messages();
    for (Sending.Cap cap : sending.caps()) {
      if (cap.channel().isPresent() && !cap.channel().get().equals(channel)) {
        continue;
      }
      Instant since = sendAt.minus(cap.per());
      int count = 0;
      for (Contact.SentMessage sent : memory) {
        if (sent.sendAt().isAfter(since)
            && (cap.channel().isEmpty() || cap.channel().get().equals(sent.channel()))) {
          count++;
        }
      }
      if (count >= cap.limit()) {
        return decision.suppressed("frequency cap");
      }
    }
    if (!sending.caps().isEmpty()) {
      // Kept for the longest cap's window only: older messages can never count again.
      Instant oldest = f.now().minus(sending.longestWindow());
      List<Contact.SentMessage> changed = s.messagesToChange();
      changed.removeIf(sent -> !sent.sendAt().isAfter(oldest));
      changed.add(new Contact.SentMessage(message, channel, sendAt, campaign));
    }
    return decision;
  }

  /**
   * When a message decided at {@code now} goes out: {@code now}, or the end of the quiet hours
   * in the zone's wall-clock time when {@code now} falls inside them.
   */
  Instant sendAt(Instant now, ZoneId zone) {
    if (sending.quietHours().isEmpty()) {
      return now;
    }
    Sending.QuietHours quiet = sending.quietHours().get();
    LocalDateTime local = LocalDateTime.ofInstant(now, zone);
    if (!quiet.contains(local.toLocalTime())) {
      return now;
    }
    LocalDate day = local.toLocalDate();
    // A window over midnight, entered in the evening, ends the next day.
    if (quiet.until().isBefore(quiet.from()) && !local.toLocalTime().isBefore(quiet.from())) {
      day = day.plusDays(1);
    }
    return localInstant(LocalDateTime.of(day, quiet.until()), zone);
  }

  /**
   * A wall-clock time as an instant: a time that does not exist (clocks go forward) is the
   * first one that does, the end of the gap; a time that exists twice is its first occurrence.
   */
  static Instant localInstant(LocalDateTime local, ZoneId zone) {
    ZoneOffsetTransition gap = zone.getRules().getTransition(local);
    if (gap != null && gap.isGap()) {
      return gap.getInstant();
    }
    return ZonedDateTime.ofLocal(local, zone, null).toInstant();
  }
}
