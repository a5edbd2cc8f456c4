package io.relais.api.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A real headless Chromium driven by Selenium for one class of the studio's browser tests
 * (registered with {@code @RegisterExtension}): started before its tests, quit after them. Each
 * test leaves a screenshot in {@code target/studio-screenshots/}. Without Chromium and its driver
 * the tests are skipped, loudly, with the command that installs them; {@code .ci/run} installs them
 * and fails if they were skipped.
 */
final class StudioBrowser implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** What a developer runs to get the browser these tests drive. */
  static final String INSTALL = "scripts/install-browser";
  private static final Path SCREENSHOTS = Path.of("target", "studio-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ChromeDriver driver;
  /** Why the tests are skipped: no Chromium or no chromedriver on PATH; null when both are. */
  private String missing;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome");
    Optional<Path> chromedriver = executable("chromedriver");
    if (chromium.isEmpty() || chromedriver.isEmpty()) {
      missing = "SKIPPED: the studio's browser tests need Chromium and chromedriver on PATH."
          + " Install them with: " + INSTALL;
      System.err.println("\n" + "!".repeat(100) + "\n!! " + missing + "\n" + "!".repeat(100) + "\n");
      return;
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1500,1000", "--lang=en-GB");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  /** Each test is reported skipped, with the command, when there is no browser to drive. */
  @Override
  public void beforeEach(ExtensionContext context) {
    Assumptions.assumeTrue(missing == null, missing);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (driver != null) {
      screenshot(context.getRequiredTestMethod().getName());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver != null) {
      driver.quit();
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static Optional<Path> executable(String... names) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(names).flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
        .filter(Files::isExecutable).findFirst();
  }

  WebDriverWait waiting() {
    return new WebDriverWait(driver, WAIT);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement id(String id) {
    return driver.findElement(By.id(id));
  }

  void tab(String name) {
    id("tab-" + name).click();
  }

  /** A call to the service with the admin key, which must succeed (the tests' set-up). */
  static void call(TestRestTemplate http, HttpMethod method, String path, MediaType type, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("X-API-Key", "k-admin");
    headers.setContentType(type);
    assertThat(http.exchange(path, method, new HttpEntity<>(body, headers), String.class).getStatusCode().is2xxSuccessful())
        .as(method + " " + path).isTrue();
  }
}
