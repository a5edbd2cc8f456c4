package io.relais.api.config;

import io.relais.api.web.ProblemResponses;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.Components;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's title, the API key scheme every {@code /api/v1} call uses, and the
 * failures every operation can answer ({@link ProblemResponses}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI relaisOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Relais")
                .version("v1")
                .description(
                    "Rules-based decisioning for marketing and sales automation: rulesets,"
                        + " decisions, contacts and events."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("X-API-Key")))
        .addSecurityItem(new SecurityRequirement().addList("apiKey"));
  }

  /** Every failure an operation can answer, as problem details. */
  @Bean
  ProblemResponses problemResponses() {
    return new ProblemResponses();
  }
}
