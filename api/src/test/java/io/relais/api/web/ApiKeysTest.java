package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.api.config.SecurityProperties;
import io.relais.api.config.SecurityProperties.ApiKey;
import io.relais.api.config.SecurityProperties.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

class ApiKeysTest {

  private final ApiKeys keys = new ApiKeys(new SecurityProperties(List.of(
      new ApiKey("secret-one", Set.of(Role.AUTHOR), "marketing-ops"),
      new ApiKey("secret-two", Set.of(Role.DECIDE, Role.ADMIN), null))));

  @Test
  void aKnownKeyBecomesItsNameAndRoles() {
    Authentication one = keys.authenticate(ApiKeyAuthentication.presented("secret-one"));
    Authentication two = keys.authenticate(ApiKeyAuthentication.presented("secret-two"));

    assertThat(one.isAuthenticated()).isTrue();
    assertThat(one.getName()).isEqualTo("marketing-ops");
    assertThat(one.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_AUTHOR");
    assertThat(one.getCredentials()).as("the secret is not kept").isNull();
    assertThat(two.getName()).as("a key without a name is named by its position").isEqualTo("api-key-2");
    assertThat(two.getAuthorities()).extracting(GrantedAuthority::getAuthority)
        .containsExactlyInAnyOrder("ROLE_DECIDE", "ROLE_ADMIN");
  }

  @Test
  void unknownEmptyPrefixAndLongerKeysAreRefused() {
    for (String wrong : new String[] {"", "secret", "secret-one ", "secret-one-and-more", "SECRET-ONE"}) {
      assertThatThrownBy(() -> keys.authenticate(ApiKeyAuthentication.presented(wrong)))
          .as(wrong).isInstanceOf(BadCredentialsException.class);
    }
  }

  @Test
  void anEmptyKeyInTheConfigurationIsAnError() {
    assertThatThrownBy(() -> new SecurityProperties(List.of(new ApiKey(" ", Set.of(Role.ADMIN), "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api-keys[0].key");
  }
}
