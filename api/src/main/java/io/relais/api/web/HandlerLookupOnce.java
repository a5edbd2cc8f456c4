package io.relais.api.web;

import jakarta.servlet.Filter;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

/**
 * Spring MVC's handler look-up made once per request (by the dispatcher), not twice.
 *
 * <p>Spring Security 6.5 puts a filter in front of its filter chain whenever Spring MVC's
 * {@code mvcHandlerMappingIntrospector} bean exists: for every request it looks the handler up
 * (every mapping's patterns matched against the path, with the request wrapped) and caches the
 * result in a request attribute, for MVC request matchers and CORS look-ups to reuse. Relais uses
 * neither (its rules match paths with {@code PathPatternRequestMatcher}, and it configures no
 * CORS), so the cache is never read, and the dispatcher looks the handler up again: the first
 * look-up was 15 % of the service's samples on the events path and about 4 % of what it
 * allocates (docs/performance.md, "The service's and the node's CPU per event"). No setting of
 * these versions turns the filter off; this replaces the introspector's bean by one whose cache
 * filter only passes the request on. Anything that asks the introspector anyway still gets its
 * answer, computed at that moment instead of cached.
 */
@Configuration(proxyBeanMethods = false)
public class HandlerLookupOnce {

  /** The name Spring MVC (and Spring Security, which looks it up) gives the introspector's bean. */
  static final String INTROSPECTOR = "mvcHandlerMappingIntrospector";

  /** Puts {@link Uncached} in place of Spring MVC's introspector, lazy as Spring MVC's is. */
  @Bean
  static BeanDefinitionRegistryPostProcessor introspectorWithoutCacheFilter() {
    return new BeanDefinitionRegistryPostProcessor() {
      @Override
      public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!registry.containsBeanDefinition(INTROSPECTOR)) {
          return; // not a Spring MVC application: no filter either
        }
        RootBeanDefinition uncached = new RootBeanDefinition(Uncached.class);
        uncached.setLazyInit(true);
        uncached.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        registry.removeBeanDefinition(INTROSPECTOR);
        registry.registerBeanDefinition(INTROSPECTOR, uncached);
      }

      @Override
      public void postProcessBeanFactory(ConfigurableListableBeanFactory factory) {
        // Nothing: the definition is all that changes.
      }
    };
  }

  /** Spring MVC's introspector whose cache filter looks nothing up: nothing here reads the cache. */
  public static final class Uncached extends HandlerMappingIntrospector {
    @Override
    public Filter createCacheFilter() {
      return (request, response, chain) -> chain.doFilter(request, response);
    }
  }
}
