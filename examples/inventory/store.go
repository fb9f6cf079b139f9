// Package inventory is a small example of everyday Go with a few rubric findings in it.
// Run `npm start` at the repository root to see Go Rubric check it.
package inventory

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
)

// ErrUnknownItem is returned when an item is not in the store.
var ErrUnknownItem = errors.New("unknown item")

// Store keeps item counts in memory and persists them as JSON.
type Store struct {
	mu     sync.Mutex
	counts map[string]int
	closed bool
}

// Load reads a store from a JSON file.
func Load(path string) (*Store, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &Store{counts: map[string]int{}}
	if err := json.Unmarshal(data, &s.counts); err != nil {
		return nil, fmt.Errorf("parse %s: %v", path, err)
	}
	return s, nil
}

// Take removes n items, failing when the store is closed or runs short.
func (s *Store) Take(item string, n int) error {
	s.mu.Lock()
	if s.closed {
		return errors.New("store closed")
	}
	have, ok := s.counts[item]
	if !ok {
		s.mu.Unlock()
		return ErrUnknownItem
	}
	s.counts[item] = have - n
	s.mu.Unlock()
	return nil
}

// Count reports how many of an item are left.
func (s *Store) Count(item string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[item]
}
