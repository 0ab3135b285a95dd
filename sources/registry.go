package sources

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Factory builds a Source of one kind from its Config.
type Factory func(Config) (Source, error)

// Registry maps source kinds (the config's `kind:`) to their factories.
// The caller builds it explicitly; there is no global registry.
type Registry struct {
	mu        sync.RWMutex
	factories map[string]Factory
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{factories: make(map[string]Factory)}
}

// Register adds the factory for kind. It panics on an empty kind, a nil
// factory or a kind registered twice: all are wiring mistakes.
func (r *Registry) Register(kind string, f Factory) {
	if kind == "" || f == nil {
		panic("sources: Register needs a kind and a factory")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.factories[kind]; dup {
		panic(fmt.Sprintf("sources: kind %q registered twice", kind))
	}
	r.factories[kind] = f
}

// New validates cfg and builds a Source with the factory of cfg.Kind.
func (r *Registry) New(cfg Config) (Source, error) {
	r.mu.RLock()
	f, ok := r.factories[cfg.Kind]
	r.mu.RUnlock()
	if !ok {
		return nil, errorf(ErrUnknownKind, "unknown source kind %q (known: %s)",
			cfg.Kind, strings.Join(r.Kinds(), ", "))
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return f(cfg)
}

// Kinds returns the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	kinds := make([]string, 0, len(r.factories))
	for k := range r.factories {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}
