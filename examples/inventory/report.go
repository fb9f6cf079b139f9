package inventory

import (
	"fmt"
	"io"
)

// Report writes one line per item.
func (s *Store) Report(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for item, n := range s.counts {
		if _, err := fmt.Fprintf(w, "%s\t%d\n", item, n); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}
