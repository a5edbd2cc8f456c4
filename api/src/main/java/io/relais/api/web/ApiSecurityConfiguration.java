package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.api.config.ApiProperties;
import io.relais.api.config.SecurityProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
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

  /** The methods any path may be called with; the firewall refuses the others with 405. */
  static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  /** {@link #METHODS} as an {@code Allow} header. */
  static final String ALLOW = String.join(", ", METHODS);
  /** The detail of a refused method. */
  static final String METHOD_REFUSED = "This service does not serve this method; it serves " + ALLOW + ".";

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
            // Error pages render the problem of a request already authorised or refused; /error
            // asked for directly is a path like any other (admin, then 404: ProblemErrorController).
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            // Health says UP or DOWN to anyone (load balancers); details only to admin.
            .requestMatchers(path.matcher("/actuator/health"), path.matcher("/actuator/health/**")).permitAll()
            .requestMatchers(path.matcher("/v3/api-docs"), path.matcher("/v3/api-docs/**"),
                path.matcher("/swagger-ui.html"), path.matcher("/swagger-ui/**")).permitAll()
            .requestMatchers(path.matcher("/api/v1/rulesets"), path.matcher("/api/v1/rulesets/**")).hasRole("AUTHOR")
            .requestMatchers(path.matcher("/api/v1/language/**")).hasRole("AUTHOR")
            // What marketing ops look at, read-only, for the studio: an audience's count (a POST
            // that changes nothing), leads, the funnel, contacts and their events.
            .requestMatchers(path.matcher(HttpMethod.POST, "/api/v1/audiences/count"),
                path.matcher(HttpMethod.GET, "/api/v1/leads"), path.matcher(HttpMethod.GET, "/api/v1/funnel"))
            .hasRole("AUTHOR")
            .requestMatchers(path.matcher(HttpMethod.GET, "/api/v1/contacts/**")).hasAnyRole("AUTHOR", "DECIDE")
            .requestMatchers(path.matcher("/api/v1/decisions")).hasRole("DECIDE")
            .requestMatchers(path.matcher("/api/v1/contacts"), path.matcher("/api/v1/contacts/**"),
                path.matcher("/api/v1/events"), path.matcher("/api/v1/events/**")).hasRole("DECIDE")
            .requestMatchers(path.matcher("/api/v1/simulations"), path.matcher("/api/v1/simulations/**")).hasRole("AUTHOR")
            // Batch runs, actuator metrics and details, the rest.
            .anyRequest().hasRole("ADMIN"))
        .build();
  }

  /**
   * The studio page and the webjars it loads (docs/studio.md): public static files, with a
   * Content Security Policy that allows scripts only from this origin (no inline script, no
   * eval), no framing, and nothing sent anywhere but this service. Styles allow
   * {@code 'unsafe-inline'}: the editor (Monaco) writes its theme and decorations into style
   * elements at run time. The page calls the API with the key the user signs in with.
   */
  @Bean
  @Order(1)
  SecurityFilterChain studio(HttpSecurity http) throws Exception {
    PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
    return http
        .securityMatchers(matchers -> matchers.requestMatchers(
            path.matcher(HttpMethod.GET, STUDIO), path.matcher(HttpMethod.GET, STUDIO + "/**"),
            path.matcher(HttpMethod.GET, "/webjars/**"),
            path.matcher(HttpMethod.HEAD, STUDIO), path.matcher(HttpMethod.HEAD, STUDIO + "/**"),
            path.matcher(HttpMethod.HEAD, "/webjars/**")))
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .headers(headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(STUDIO_CSP))
            .frameOptions(frame -> frame.deny())
            .referrerPolicy(referrer -> referrer.policy(
                org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
        .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
        .build();
  }

  /** Where the studio page is served. */
  static final String STUDIO = "/studio";

  /** The studio's Content Security Policy (docs/studio.md, "Security"). */
  static final String STUDIO_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self';"
      + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

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
    firewall.setAllowedHttpMethods(METHODS);
    firewall.setAllowedHeaderNames(HeaderCharacters::assignedAndNotControl);
    firewall.setAllowedHeaderValues(HeaderCharacters::assignedAndNotControlOrTab);
    firewall.setAllowedParameterNames(HeaderCharacters::assignedAndNotControl);
    return firewall;
  }

  /**
   * A request the firewall refuses is a problem, not a stack trace or a container page: 405 for
   * a method outside {@link #METHODS} (TRACE, CONNECT as Tomcat refuses it too, any invented
   * one), 400 for the rest.
   */
  @Bean
  RequestRejectedHandler requestRejected(ObjectMapper json) {
    return (request, response, e) -> {
      if (!METHODS.contains(request.getMethod())) {
        response.setHeader(HttpHeaders.ALLOW, ALLOW);
        Problems.write(response, Problems.of(HttpStatus.METHOD_NOT_ALLOWED, METHOD_REFUSED), json);
        return;
      }
      Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST,
          "The request is not accepted: a path or header with encoded separators, ';', '//', '.' or '..' segments,"
              + " or control characters."), json);
    };
  }

  /** Forwarded headers ignored unless a proxy strategy is configured. */
  @Bean
  @ConditionalOnProperty(name = "server.forward-headers-strategy", havingValue = "none", matchIfMissing = true)
  FilterRegistrationBean<ForwardedHeadersFilter> forwardedHeadersFilter() {
    FilterRegistrationBean<ForwardedHeadersFilter> registration = new FilterRegistrationBean<>(new ForwardedHeadersFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  /** A problem body for every failure, on every path (an unparseable Accept, an empty error answer). */
  @Bean
  FilterRegistrationBean<ProblemBodyFilter> problemBodyFilter(ObjectMapper json) {
    FilterRegistrationBean<ProblemBodyFilter> registration = new FilterRegistrationBean<>(new ProblemBodyFilter(json));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
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

  /** The request's API key as its caller, after authentication (Spring Security's filter is at -100). */
  @Bean
  FilterRegistrationBean<CallerFilter> callerFilter() {
    FilterRegistrationBean<CallerFilter> registration = new FilterRegistrationBean<>(new CallerFilter());
    registration.setOrder(-1);
    return registration;
  }

  /** Reading the body, after authorisation and as the request's caller. */
  @Bean
  FilterRegistrationBean<BodyReadFilter> bodyReadFilter(ApiProperties api, ObjectMapper json) {
    FilterRegistrationBean<BodyReadFilter> registration = new FilterRegistrationBean<>(
        new BodyReadFilter(api.maxConcurrentBodyReads(), api.maxBodyReadsPerKey(), api.bodyReadTimeout(), json));
    registration.setOrder(0);
    return registration;
  }
}
