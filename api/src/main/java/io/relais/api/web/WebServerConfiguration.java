package io.relais.api.web;

import org.apache.catalina.Host;
import org.apache.catalina.startup.Tomcat;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat as the API needs it: its own error pages as problem details, and no draining of bodies
 * nobody reads. (Strict JSON is set in application.yml, {@code spring.jackson.*}.)
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
}
