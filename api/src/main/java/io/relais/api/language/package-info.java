/** The language service for the studio page: the answers of {@code ./relais lsp} over REST. */
package io.relais.api.language;
