package io.relais.api.web;

import java.util.List;
import org.apache.catalina.Host;
import org.apache.catalina.startup.Tomcat;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Tomcat as the API needs it: its own error pages as problem details, and no draining of bodies
 * nobody reads; Spring MVC reading and writing JSON only. (Strict JSON is set in
 * application.yml, {@code spring.jackson.*}, as is the absence of multipart and form parsing.)
 */
@Configuration(proxyBeanMethods = false)
public class WebServerConfiguration {

  /** Boot's Tomcat factory (it still applies every {@code server.*} property), with two valves. */
  @Bean
  TomcatServletWebServerFactory tomcatFactory() {
    TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory() {
      @Override
      protected TomcatWebServer getTomcatWebServer(Tomcat tomcat) {
        Host host = tomcat.getHost();
        // The host adds its error report valve on start unless one of that class is present.
        if (host instanceof org.apache.catalina.core.StandardHost standard) {
          standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
        host.getPipeline().addValve(new ProblemErrorReportValve());
        return super.getTomcatWebServer(tomcat);
      }
    };
    factory.addEngineValves(new UnreadBodyValve());
    return factory;
  }

  /**
   * Bodies are JSON (and text where a call says so): Spring would also read and write YAML,
   * since springdoc brings jackson-dataformat-yaml, and any other Jackson format found on the
   * class path, none of which the API documents (YAML would even let a key appear twice).
   */
  @Bean
  WebMvcConfigurer jsonOnly() {
    return new WebMvcConfigurer() {
      @Override
      public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.removeIf(converter -> converter instanceof AbstractJackson2HttpMessageConverter
            && !(converter instanceof MappingJackson2HttpMessageConverter));
      }
    };
  }
}
