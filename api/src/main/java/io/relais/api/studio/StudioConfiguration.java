package io.relais.api.studio;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code /studio} is the page {@code static/studio/index.html} of the jar (docs/studio.md); its
 * scripts and styles sit beside it and load relative to {@code /studio/}, so {@code /studio}
 * redirects there.
 */
@Configuration(proxyBeanMethods = false)
public class StudioConfiguration implements WebMvcConfigurer {

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/studio", "/studio/").setKeepQueryParams(true);
    registry.addViewController("/studio/").setViewName("forward:/studio/index.html");
  }
}
