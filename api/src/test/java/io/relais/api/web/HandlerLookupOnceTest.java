package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

class HandlerLookupOnceTest {

  // An introspector over one handler mapping that counts its look-ups.
  private static HandlerMappingIntrospector over(HandlerMappingIntrospector introspector, AtomicInteger lookups) {
    StaticApplicationContext context = new StaticApplicationContext();
    context.getBeanFactory().registerSingleton("counting", (HandlerMapping) request -> {
      lookups.incrementAndGet();
      return null;
    });
    context.refresh();
    introspector.setApplicationContext(context);
    introspector.afterPropertiesSet();
    return introspector;
  }

  @Test
  void theCacheFilterPassesTheRequestOnWithoutLookingItsHandlerUp() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    AtomicBoolean passed = new AtomicBoolean();
    HandlerMappingIntrospector introspector = over(new HandlerLookupOnce.Uncached(), lookups);

    introspector.createCacheFilter().doFilter(new MockHttpServletRequest("POST", "/api/v1/contacts/c-1/events"),
        new MockHttpServletResponse(), (request, response) -> passed.set(true));

    assertThat(passed).isTrue();
    assertThat(lookups).hasValue(0);
  }

  @Test
  void springsOwnCacheFilterLooksTheHandlerUpForEveryRequest() throws Exception {
    // What the replacement saves: the dispatcher then looks it up once more.
    AtomicInteger lookups = new AtomicInteger();
    HandlerMappingIntrospector introspector = over(new HandlerMappingIntrospector(), lookups);

    introspector.createCacheFilter().doFilter(new MockHttpServletRequest("POST", "/api/v1/contacts/c-1/events"),
        new MockHttpServletResponse(), (request, response) -> { });

    assertThat(lookups).hasValue(1);
  }

  @Test
  void theIntrospectorsBeanIsReplacedLazily() {
    DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
    registry.registerBeanDefinition(HandlerLookupOnce.INTROSPECTOR, new RootBeanDefinition(HandlerMappingIntrospector.class));

    HandlerLookupOnce.introspectorWithoutCacheFilter().postProcessBeanDefinitionRegistry(registry);

    assertThat(registry.getBeanDefinition(HandlerLookupOnce.INTROSPECTOR).getBeanClassName())
        .isEqualTo(HandlerLookupOnce.Uncached.class.getName());
    assertThat(registry.getBeanDefinition(HandlerLookupOnce.INTROSPECTOR).isLazyInit()).isTrue();
  }

  @Test
  void withoutSpringMvcNothingIsRegistered() {
    DefaultListableBeanFactory registry = new DefaultListableBeanFactory();

    HandlerLookupOnce.introspectorWithoutCacheFilter().postProcessBeanDefinitionRegistry(registry);

    assertThat(registry.containsBeanDefinition(HandlerLookupOnce.INTROSPECTOR)).isFalse();
  }
}
