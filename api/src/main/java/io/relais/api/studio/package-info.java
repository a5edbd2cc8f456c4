/** The studio page (docs/studio.md): static files in the jar, served at {@code /studio}. */
package io.relais.api.studio;
