package io.relais.api.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * The studio in a real headless Chromium driven by Selenium ({@link StudioBrowser}), against the
 * service on the build's Elasticsearch node (docs/studio.md, "Tests"). The tests share one browser
 * and one page and run in order: each starts from what the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioBrowserIT extends StudioServer {

  /** What a developer runs to get the browser these tests drive. */
  // Line 10: `contact.score >= 5 and contact.stage = CUSTOMER`; the stage comparison is false
  // for a LEAD, at columns 26 to 50.
  private static final String RULES = """
      scoring "Engaged"
      when
        contact.score >= 5
      then
        add 1 to score
      end

      segment "Customers only"
      when
        contact.score >= 5 and contact.stage = CUSTOMER
      then
        tag "VIP"
      end
      """;

  @RegisterExtension static final StudioBrowser STUDIO = new StudioBrowser();
  private static ChromeDriver browser;

  @Autowired TestRestTemplate http;
  @LocalServerPort int port;

  @BeforeAll
  static void browser() {
    browser = STUDIO.driver();
  }

  private void call(HttpMethod method, String path, MediaType type, String body) {
    StudioBrowser.call(http, method, path, type, body);
  }

  private WebDriverWait waiting() {
    return STUDIO.waiting();
  }

  private Object js(String script, Object... args) {
    return STUDIO.js(script, args);
  }

  private WebElement id(String id) {
    return STUDIO.id(id);
  }

  private void tab(String name) {
    STUDIO.tab(name);
  }

  /** Puts the caret at a line and column of the editor (through Monaco's API) and focuses it. */
  private void caret(int line, int column) {
    js("const e = monaco.editor.getEditors()[0]; e.setPosition({lineNumber: arguments[0], column: arguments[1]});"
        + " e.focus();", line, column);
  }

  private String text() {
    return (String) js("return monaco.editor.getEditors()[0].getModel().getValue();");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> markers() {
    return (List<Map<String, Object>>) js("return monaco.editor.getModelMarkers({owner: 'relais'})"
        + ".map(m => ({line: m.startLineNumber, column: m.startColumn, message: m.message}));");
  }


  @Test
  @Order(1)
  void aMisspeltFieldIsMarkedAtItsLine() {
    call(HttpMethod.PUT, "/api/v1/rulesets/studio", MediaType.TEXT_PLAIN, RULES);
    call(HttpMethod.PUT, "/api/v1/contacts/lead-1", MediaType.APPLICATION_JSON,
        "{\"firstName\": \"Ada\", \"score\": 10, \"stage\": \"LEAD\"}");
    call(HttpMethod.PUT, "/api/v1/contacts/lead-2", MediaType.APPLICATION_JSON,
        "{\"firstName\": \"Grace\", \"score\": 60, \"stage\": \"MQL\"}");
    call(HttpMethod.PUT, "/api/v1/contacts/lead-3", MediaType.APPLICATION_JSON,
        "{\"firstName\": \"Edsger\", \"score\": 80, \"stage\": \"CUSTOMER\"}");

    browser.get("http://127.0.0.1:" + port + "/studio?ruleset=studio");
    id("api-key").sendKeys("k-admin", Keys.ENTER);
    waiting().until(d -> Boolean.TRUE.equals(js("return !!(window.monaco && monaco.editor.getEditors().length"
        + " && monaco.editor.getEditors()[0].getModel()"
        + " && monaco.editor.getEditors()[0].getModel().getValue().includes('scoring \"Engaged\"'))")));

    // Typed as an author types it: `score >= 5` of line 3 selected, `scroe >= 5` typed over it.
    js("const e = monaco.editor.getEditors()[0]; e.setSelection(new monaco.Range(3, 11, 3, 21)); e.focus();");
    new Actions(browser).sendKeys("scroe >= 5").perform();
    assertThat(text()).contains("  contact.scroe >= 5\nthen");

    waiting().until(d -> markers().stream().anyMatch(m -> m.get("message").toString().contains("contact.scroe")));
    assertThat(markers()).singleElement().satisfies(m -> {
      assertThat(((Number) m.get("line")).intValue()).isEqualTo(3);
      assertThat(m.get("message").toString()).contains("unknown field contact.scroe", "contact.score");
    });
    // The marker is drawn: a squiggle in the editor and the problem listed under it.
    assertThat(browser.findElements(By.cssSelector(".monaco-editor .squiggly-error"))).isNotEmpty();
    assertThat(id("problems").getText()).contains("studio.rules:3:3: error: unknown field contact.scroe");
  }

  @Test
  @Order(2)
  void theSuggestionIsAcceptedAsAQuickFix() {
    // The problem list offers the quick fix as a button (in the editor: Ctrl+. on the marker).
    WebElement fix = id("problems").findElement(By.cssSelector("button.fix"));
    assertThat(fix.getText()).isEqualTo("Replace with contact.score");
    assertThat(fix.getAttribute("aria-label")).isEqualTo("Replace at studio.rules:3:3 with contact.score");
    fix.sendKeys(Keys.ENTER);

    waiting().until(d -> text().contains("  contact.score >= 5\nthen"));
    waiting().until(d -> markers().isEmpty());
    assertThat(id("problems").getText()).isEqualTo("No problems.");
  }

  @Test
  @Order(3)
  void contactDotCompletesTheContactFields() {
    // A new condition term at the end of line 10.
    caret(10, 200);
    new Actions(browser).sendKeys(" and contact.").perform();

    WebElement widget = waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector(".monaco-editor .suggest-widget.visible")));
    // The list shows its first rows, alphabetically: the contact's fields.
    waiting().until(d -> widget.getText().contains("firstName"));
    assertThat(widget.getText()).contains("age", "city", "company", "email").doesNotContain("page_visit");
    // Typing filters it; Tab accepts the field.
    new Actions(browser).sendKeys("sco").perform();
    waiting().until(d -> widget.getText().startsWith("score"));
    new Actions(browser).sendKeys(Keys.TAB).perform();
    waiting().until(d -> text().contains("contact.stage = CUSTOMER and contact.score"));
    // Back to the ruleset as stored, plus nothing: the rest of the tests try its rules.
    new Actions(browser).sendKeys(" > 0").perform();
    waiting().until(d -> markers().isEmpty());
  }

  @Test
  @Order(4)
  void aSavedVersionIsActivatedAfterConfirmationAndListed() {
    id("save").click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Saved as version 2"));
    WebElement activate = waiting().until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("button[aria-label='Activate version 2']")));
    activate.click();
    WebElement dialog = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
    assertThat(dialog.getText()).contains("Activate version 2 of \"studio\"");
    // Keyboard: the confirmation has the focus, Enter confirms.
    new Actions(browser).sendKeys(Keys.ENTER).perform();

    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Version 2 is active."));
    WebElement row = id("versions").findElement(By.cssSelector("tr[data-version='2']"));
    // k-admin is the first key of the three and has no name: it stands for api-key-1.
    assertThat(row.getText()).contains("active", "api-key-1");
    assertThat(id("versions").findElement(By.cssSelector("tr[data-version='1']")).getText()).contains("Roll back");
  }

  @Test
  @Order(5)
  void tryingAStoredContactShowsTheFiredRuleAndMarksTheFalsePart() {
    tab("try");
    id("contact-id").sendKeys("lead-1");
    id("try").click();

    WebElement fired = waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#try-result tr.fired[data-rule='Engaged']")));
    assertThat(fired.getText()).contains("fired", "contact.score = 10 >= 5");
    WebElement notFired = id("try-result").findElement(By.cssSelector("tr.not-fired[data-rule='Customers only']"));
    assertThat(notFired.getText()).contains("did not fire", "contact.stage = LEAD = CUSTOMER", "studio.rules:10:26");

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> parts = (List<Map<String, Object>>) js("const m = monaco.editor.getEditors()[0].getModel();"
        + " return m.getAllDecorations().filter(d => d.options.inlineClassName === 'false-part')"
        + ".map(d => ({line: d.range.startLineNumber, text: m.getValueInRange(d.range)}));");
    assertThat(parts).singleElement().satisfies(p -> {
      assertThat(((Number) p.get("line")).intValue()).isEqualTo(10);
      assertThat(p.get("text")).isEqualTo("contact.stage = CUSTOMER");
    });
    assertThat(browser.findElements(By.cssSelector(".monaco-editor .false-part"))).isNotEmpty();

    // Edited, not saved: "Engaged" now needs 50 points; the active version and the edited
    // text are tried on the same contact.
    js("const e = monaco.editor.getEditors()[0]; e.setSelection(new monaco.Range(3, 20, 3, 21)); e.focus();");
    new Actions(browser).sendKeys("50").perform();
    assertThat(text()).contains("  contact.score >= 50\nthen");
    id("try-compare").click();
    WebElement differs = waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#try-compare-result tr.differs[data-rule='Engaged']")));
    assertThat(differs.getText()).isEqualTo("Engaged fired did not fire");
    assertThat(id("try-compare-result").getText()).contains("1 rule(s) fire differently with the edited text");
  }

  @Test
  @Order(6)
  void theAudienceCountFollowsTheCondition() {
    tab("audience");
    WebElement condition = id("condition");
    condition.clear();
    condition.sendKeys("contact.score >= 50");
    waiting().until(ExpectedConditions.textToBe(By.id("audience-count"), "2"));
    assertThat(id("audience-sample").getText()).contains("lead-3", "lead-2").doesNotContain("lead-1");

    condition.sendKeys(Keys.chord(Keys.CONTROL, "a"), "contact.score >= 70");
    waiting().until(ExpectedConditions.textToBe(By.id("audience-count"), "1"));
    assertThat(id("audience-sample").getText()).contains("lead-3").doesNotContain("lead-2");

    // What the store cannot count is refused with the reason.
    condition.sendKeys(" and count(page_visit) > 2");
    waiting().until(ExpectedConditions.textToBe(By.id("audience-count"), "cannot be counted"));
    assertThat(id("audience-refusal").getText()).contains("count(page_visit)");
  }

  @Test
  @Order(7)
  void theFunnelChartIsDrawnWithTheStages() {
    tab("funnel");
    WebElement svg = waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#funnel-chart svg")));
    waiting().until(d -> svg.getText().contains("CUSTOMER"));
    assertThat(svg.getText()).contains("SUBSCRIBER", "LEAD", "MQL", "SQL", "OPPORTUNITY", "CUSTOMER");
    assertThat(id("funnel-table").getText()).contains("MQL");
    waiting().until(d -> id("leads").getText().contains("lead-3"));
    assertThat(id("leads").getText()).contains("Edsger");
  }

  @Test
  @Order(8)
  void aSimulationOfTheEditedTextListsTheDifferencesAndDrawsTheChart() throws IOException {
    // Two visits of each lead in the last days, recorded with the active version (2), which
    // moves no stage.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (String lead : List.of("lead-1", "lead-2", "lead-3")) {
      for (int day = 3; day >= 2; day--) {
        call(HttpMethod.POST, "/api/v1/contacts/" + lead + "/events?ruleset=studio", MediaType.APPLICATION_JSON,
            "{\"id\": \"visit-" + day + "\", \"type\": \"page_visit\", \"at\": \"" + now.minus(Duration.ofDays(day)) + "\"}");
      }
    }
    // Edited, not saved: a new rule makes every visitor an MQL.
    js("const e = monaco.editor.getEditors()[0]; const m = e.getModel();"
        + " e.setPosition({lineNumber: m.getLineCount(), column: m.getLineMaxColumn(m.getLineCount())}); e.focus();");
    new Actions(browser).sendKeys("qualify \"Visitors\" when event is page_visit then advance stage to MQL end",
        Keys.ESCAPE).perform();
    assertThat(text()).endsWith("qualify \"Visitors\" when event is page_visit then advance stage to MQL end");
    waiting().until(d -> markers().isEmpty());

    tab("simulations");
    // The period is the last 30 days at first; the candidate is the text in the editor.
    assertThat(id("sim-until").getAttribute("value")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(id("panel-simulations").findElement(By.cssSelector("input[name=sim-candidate][value=files]")).isSelected())
        .isTrue();

    // A filter the store cannot run is refused with its reason, and nothing runs.
    id("sim-filter").sendKeys("count(page_visit) > 2");
    id("sim-run").click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("sim-refusal"), "count(page_visit)"));
    assertThat(id("sim-state").getText()).isEmpty();

    // Keyboard only: the filter emptied, Tab to the run button and Enter.
    id("sim-filter").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    new Actions(browser).sendKeys(Keys.TAB).perform();
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("sim-run");
    new Actions(browser).sendKeys(Keys.ENTER).perform();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("sim-state"), "DONE"));
    assertThat(id("sim-state").getText()).contains("3 replayed", "6 events", "\"studio\" active version 2 against the text in the editor");
    assertThat(id("sim-refusal").getText()).isEmpty();
    assertThat(id("sim-cancel").isEnabled()).isFalse();

    // The new rule's decisions, and the stage decisions they add; the other rules decide alike.
    WebElement rule = id("sim-tables").findElement(By.cssSelector("tr.differs[data-key='Visitors']"));
    assertThat(rule.getText()).startsWith("Visitors 0 ").contains("+");
    WebElement stage = id("sim-tables").findElement(By.cssSelector("tr.differs[data-key='STAGE']"));
    assertThat(stage.getText()).startsWith("STAGE 0 ");
    // Every lead ends an MQL with the candidate, a LEAD with the active version.
    assertThat(id("sim-tables").getText()).contains("3 contact(s) end differently (stage 3,");
    WebElement lead = id("sim-tables").findElement(By.cssSelector("tr[data-key='lead-1']"));
    assertThat(lead.getText()).contains("stage LEAD → MQL", "score 0, stage LEAD, tier none", "score 0, stage MQL, tier none");

    // The chart: decisions by type, both versions' bars, drawn as SVG.
    WebElement svg = waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sim-chart svg")));
    waiting().until(d -> svg.getText().contains("STAGE"));
    assertThat(svg.getText()).contains("active version", "candidate");
    assertThat(svg.findElements(By.cssSelector("path"))).isNotEmpty();
    assertThat(id("sim-chart").getAttribute("aria-label")).contains("STAGE 0 and ");
    // The whole result in view, in a screenshot of its own (docs/studio-simulations.png is one).
    browser.manage().window().setSize(new Dimension(1500, 1500));
    STUDIO.screenshot("aSimulationOfTheEditedText-result");
    browser.manage().window().setSize(new Dimension(1500, 1000));

    // A stored version as the candidate (arrow keys in the radio group): version 1 decides as the
    // active version 2 does on these events.
    id("panel-simulations").findElement(By.cssSelector("input[name=sim-candidate][value=files]"))
        .sendKeys(Keys.ARROW_RIGHT);
    Select version = new Select(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("sim-version"))));
    assertThat(version.getFirstSelectedOption().getText()).isEqualTo("2 (active)");
    version.selectByValue("1");
    id("sim-run").click();
    // Contacts stored by the other tests are read too (they have no event in the period).
    waiting().until(d -> id("sim-state").getText().startsWith("DONE: ")
        && id("sim-state").getText().contains(" 3 replayed, 6 events, \"studio\" active version 2 against version 1"));
    assertThat(id("sim-tables").getText()).contains("0 contact(s) end differently", "No contact ends differently.");
    assertThat(id("sim-tables").findElements(By.cssSelector("tr.differs"))).isEmpty();

    // Invalid text is refused (422 with its diagnostics): the alert says so, the diagnostics are
    // markers, and the last result stays.
    id("panel-simulations").findElement(By.cssSelector("input[name=sim-candidate][value=version]"))
        .sendKeys(Keys.ARROW_LEFT);
    js("const e = monaco.editor.getEditors()[0]; e.executeEdits('test', [{range: new monaco.Range(14, 34, 14, 44),"
        + " text: 'page_vist'}]);");
    assertThat(text()).endsWith("qualify \"Visitors\" when event is page_vist then advance stage to MQL end");
    id("sim-run").click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert"), "The candidate has errors"));
    assertThat(markers()).anySatisfy(m -> assertThat(((Number) m.get("line")).intValue()).isEqualTo(14));
    assertThat(id("sim-state").getText()).contains("against version 1");
  }
}
