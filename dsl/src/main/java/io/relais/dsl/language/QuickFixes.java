package io.relais.dsl.language;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * Quick fixes: a diagnostic's suggestion replaces its span. The checker and the parser give
 * suggestions as they would be written at that span ({@code contact.score} for the whole
 * path, {@code "Gold"} with its quotes for a string), so the edit is the suggestion itself.
 */
final class QuickFixes {

  private QuickFixes() {}

  static List<QuickFix> of(List<Diagnostic> diagnostics, SourceSpan range) {
    List<QuickFix> fixes = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      SourceSpan span = d.span();
      boolean empty = span.line() == span.endLine() && span.column() == span.endColumn();
      if (d.suggestion().isEmpty() || empty || !overlaps(span, range)) {
        continue;
      }
      String suggestion = d.suggestion().get();
      fixes.add(new QuickFix("Change to " + suggestion, d, new TextEdit(span, suggestion)));
    }
    return fixes;
  }

  /** Whether two spans of one file share a position (ends inclusive: a caret at a word's end). */
  private static boolean overlaps(SourceSpan a, SourceSpan b) {
    return !before(a.endLine(), a.endColumn(), b.line(), b.column())
        && !before(b.endLine(), b.endColumn(), a.line(), a.column());
  }

  private static boolean before(int line, int column, int otherLine, int otherColumn) {
    return line < otherLine || (line == otherLine && column < otherColumn);
  }
}
