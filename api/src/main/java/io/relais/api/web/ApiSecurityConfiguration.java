package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.api.config.ApiProperties;
import io.relais.api.config.SecurityProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may call what (docs/api.md, "Keys and roles"). Keys in {@code X-API-Key}; roles {@code
 * decide}, {@code author}, {@code admin} ({@code admin} implies the others). Paths are matched
 * after the strict firewall has refused every ambiguous form ({@code ;}, encoded slashes,
 * {@code //}, {@code ./}, {@code ../}, control characters) with a 400 problem, so the path that
 * is authorised is the path a controller serves. Everything not listed needs {@code admin}.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurityConfiguration {

  static final String HEADER = "X-API-Key";

  @Bean
  SecurityFilterChain api(HttpSecurity http, SecurityProperties keys, ObjectMapper json) throws Exception {
    PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
    AuthenticationFilter apiKeys = new AuthenticationFilter(new ApiKeys(keys), converter());
    apiKeys.setSuccessHandler((request, response, authentication) -> { });
    apiKeys.setFailureHandler((request, response, e) -> Problems.write(response,
        Problems.of(HttpStatus.UNAUTHORIZED, "Send a valid API key in the X-API-Key header."), json));
    return http
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .anonymous(anonymous -> { })
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(apiKeys, AuthorizationFilter.class)
        .exceptionHandling(handling -> handling
            .authenticationEntryPoint((request, response, e) -> Problems.write(response,
                Problems.of(HttpStatus.UNAUTHORIZED, "Send a valid API key in the X-API-Key header."), json))
            .accessDeniedHandler((request, response, e) -> Problems.write(response,
                Problems.of(HttpStatus.FORBIDDEN, "This API key lacks the role this call needs."), json)))
        .authorizeHttpRequests(authorize -> authorize
            // Error pages render the problem of a request already authorised or refused.
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            .requestMatchers(path.matcher("/error")).permitAll()
            // Health says UP or DOWN to anyone (load balancers); details only to admin.
            .requestMatchers(path.matcher("/actuator/health"), path.matcher("/actuator/health/**")).permitAll()
            .requestMatchers(path.matcher("/v3/api-docs"), path.matcher("/v3/api-docs/**"),
                path.matcher("/swagger-ui.html"), path.matcher("/swagger-ui/**")).permitAll()
            .requestMatchers(path.matcher("/api/v1/decisions")).hasRole("DECIDE")
            .requestMatchers(path.matcher("/api/v1/contacts"), path.matcher("/api/v1/contacts/**"),
                path.matcher("/api/v1/events"), path.matcher("/api/v1/events/**")).hasRole("DECIDE")
            .requestMatchers(path.matcher("/api/v1/rulesets"), path.matcher("/api/v1/rulesets/**")).hasRole("AUTHOR")
            .requestMatchers(path.matcher("/api/v1/language/**")).hasRole("AUTHOR")
            // Batch runs, audiences, leads, funnel, actuator metrics and details, the rest.
            .anyRequest().hasRole("ADMIN"))
        .build();
  }

  private static AuthenticationConverter converter() {
    return (HttpServletRequest request) -> {
      String key = request.getHeader(HEADER);
      return key == null ? null : ApiKeyAuthentication.presented(key);
    };
  }

  /**
   * No observation of Spring Security's filters, authentication or authorisation: with a
   * registry present it wraps each filter of every request in one (noop observations still cost
   * the wrapping). Requests stay measured by {@code http.server.requests}, refusals by its
   * 401/403 counts.
   */
  @Bean
  static SecurityObservationSettings noSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  /** {@code admin} may do what {@code author} and {@code decide} may. */
  @Bean
  static RoleHierarchy roleHierarchy() {
    return RoleHierarchyImpl.withDefaultRolePrefix()
        .role("ADMIN").implies("AUTHOR", "DECIDE")
        .build();
  }

  /** No user store: keys are the only identities (this also stops Boot's generated password). */
  @Bean
  UserDetailsService noUsers() {
    return username -> {
      throw new org.springframework.security.core.userdetails.UsernameNotFoundException("no users");
    };
  }

  /**
   * Spring Security's strict firewall, also refusing {@code %} escapes of non-ASCII bytes. Its
   * header and parameter-name rules are its defaults, tested without regular expressions
   * ({@link HeaderCharacters}).
   */
  @Bean
  HttpFirewall firewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setUnsafeAllowAnyHttpMethod(false);
    firewall.setAllowedHeaderNames(HeaderCharacters::assignedAndNotControl);
    firewall.setAllowedHeaderValues(HeaderCharacters::assignedAndNotControlOrTab);
    firewall.setAllowedParameterNames(HeaderCharacters::assignedAndNotControl);
    return firewall;
  }

  /** A request the firewall refuses is a 400 problem, not a stack trace or a container page. */
  @Bean
  RequestRejectedHandler requestRejected(ObjectMapper json) {
    return (request, response, e) -> Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST,
        "The request is not accepted: an unknown method, or a path or header with encoded separators, ';', '//', '.' or '..' segments,"
            + " control characters)."), json);
  }

  /** Forwarded headers ignored unless a proxy strategy is configured. */
  @Bean
  @ConditionalOnProperty(name = "server.forward-headers-strategy", havingValue = "none", matchIfMissing = true)
  FilterRegistrationBean<ForwardedHeadersFilter> forwardedHeadersFilter() {
    FilterRegistrationBean<ForwardedHeadersFilter> registration = new FilterRegistrationBean<>(new ForwardedHeadersFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  /** The size limit on every path, ahead of authentication. */
  @Bean
  FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(ApiProperties api, ObjectMapper json) {
    FilterRegistrationBean<BodyLimitFilter> registration =
        new FilterRegistrationBean<>(new BodyLimitFilter(api.maxBodySize().toBytes(), json));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** Reading the body, after authorisation (Spring Security's filter is at -100). */
  @Bean
  FilterRegistrationBean<BodyReadFilter> bodyReadFilter(ApiProperties api, ObjectMapper json) {
    FilterRegistrationBean<BodyReadFilter> registration = new FilterRegistrationBean<>(
        new BodyReadFilter(api.maxConcurrentBodyReads(), api.bodyReadTimeout(), json));
    registration.setOrder(0);
    return registration;
  }
}
