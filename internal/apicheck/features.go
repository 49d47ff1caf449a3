package main

import (
	"go/types"
	"slices"
	"strings"
)

// features lists the exported API of pkg, one feature per line, sorted, in the style of Go's api/go1.*.txt:
//
//	pkg P, const Name Type = Value
//	pkg P, var Name Type
//	pkg P, func Name(Params) Results
//	pkg P, type Name Underlying             (a defined type other than a struct or an interface)
//	pkg P, type Name = Type                 (an alias)
//	pkg P, type Name struct                 (then one line per exported field a selector reaches:)
//	pkg P, type Name struct, Field Type
//	pkg P, type Name struct, embedded Type
//	pkg P, type Name struct, promoted Field Type   (an exported field of an embedded struct)
//	pkg P, type Name struct, comparable     (== and map keys work on it)
//	pkg P, type Name interface {M1, M2}     (the exported methods: a new one breaks implementations)
//	pkg P, type Name interface (sealed)     (has unexported methods: no implementation outside P to break)
//	pkg P, type Name interface, M(Params) Results
//	pkg P, type Name interface, type set ~int | ~string   (an element of a constraint's type set)
//	pkg P, method (Name) M(Params) Results  (in the method set of Name and *Name)
//	pkg P, method (*Name) M(Params) Results (in the method set of *Name only)
//
// Nothing unexported is listed: no unexported field, method or name.
func features(pkg *types.Package) []string {
	var fs []string
	add := func(f string) { fs = append(fs, "pkg "+pkg.Path()+", "+f) }
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Const:
			add("const " + name + " " + typeString(obj.Type(), pkg) + " = " + obj.Val().ExactString())
		case *types.Var:
			add("var " + name + " " + typeString(obj.Type(), pkg))
		case *types.Func:
			add("func " + name + signatureString(obj.Type().(*types.Signature), pkg))
		case *types.TypeName:
			typeFeatures(obj, pkg, add)
		}
	}
	slices.Sort(fs)
	return slices.Compact(fs)
}

// typeFeatures lists the features of one exported type.
func typeFeatures(obj *types.TypeName, pkg *types.Package, add func(string)) {
	if obj.IsAlias() {
		if a, ok := obj.Type().(*types.Alias); ok && a.TypeParams().Len() > 0 {
			add("type " + obj.Name() + typeParamsString(a.TypeParams(), pkg) + " = " + typeString(a.Rhs(), pkg))
			return
		}
		add("type " + obj.Name() + " = " + typeString(obj.Type(), pkg))
		return
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return
	}
	head := "type " + obj.Name() + typeParamsString(named.TypeParams(), pkg)
	switch u := named.Underlying().(type) {
	case *types.Struct:
		add(head + " struct")
		structFeatures(named, u, pkg, func(f string) { add(head + " struct, " + f) })
	case *types.Interface:
		interfaceFeatures(u, pkg, head, add)
		return // an interface's methods are listed as its elements
	default:
		add(head + " " + typeString(u, pkg))
	}
	methodFeatures(named, pkg, add)
}

// structFeatures lists the exported fields of st, the underlying struct of named, that a selector reaches:
// its own, and those promoted from embedded structs (also unexported ones). It adds "comparable" if the
// struct is: losing that breaks code that compares it or uses it as a map key.
func structFeatures(named *types.Named, st *types.Struct, pkg *types.Package, add func(string)) {
	own := map[string]bool{}
	for i := range st.NumFields() {
		f := st.Field(i)
		own[f.Name()] = true
		switch {
		case !f.Exported():
		case f.Embedded():
			add("embedded " + typeString(f.Type(), pkg))
		default:
			add(f.Name() + " " + typeString(f.Type(), pkg))
		}
	}
	for _, name := range promotedCandidates(st) {
		if own[name] {
			continue
		}
		obj, index, _ := types.LookupFieldOrMethod(named, false, pkg, name)
		if v, ok := obj.(*types.Var); ok && v.IsField() && len(index) > 1 {
			add("promoted " + name + " " + typeString(v.Type(), pkg))
		}
	}
	if types.Comparable(named) {
		add("comparable")
	}
}

// promotedCandidates returns the exported field names of the structs embedded in st, at any depth, sorted.
// Which of them a selector reaches (the shallowest, if not ambiguous) is for types.LookupFieldOrMethod.
func promotedCandidates(st *types.Struct) []string {
	var names []string
	seen := map[*types.Struct]bool{st: true}
	queue := []*types.Struct{st}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for i := range s.NumFields() {
			f := s.Field(i)
			if s != st && f.Exported() {
				names = append(names, f.Name())
			}
			if !f.Embedded() {
				continue
			}
			t := f.Type()
			if p, ok := types.Unalias(t).(*types.Pointer); ok {
				t = p.Elem()
			}
			if inner, ok := t.Underlying().(*types.Struct); ok && !seen[inner] {
				seen[inner] = true
				queue = append(queue, inner)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// interfaceFeatures lists an exported interface: a header naming its exported methods (so that a new one,
// which breaks every implementation outside the package, changes it) and one line per exported method.
// An interface with unexported methods can only be implemented by embedding it, which a new method does not
// break: its header names no method. A constraint's type set elements are written in the header.
func interfaceFeatures(iface *types.Interface, pkg *types.Package, head string, add func(string)) {
	var names []string
	sealed := false
	for i := range iface.NumMethods() {
		m := iface.Method(i)
		if !m.Exported() {
			sealed = true
			continue
		}
		names = append(names, m.Name())
		add(head + " interface, " + m.Name() + signatureString(m.Type().(*types.Signature), pkg))
	}
	if sealed {
		add(head + " interface (sealed)")
	} else {
		add(head + " interface {" + strings.Join(names, ", ") + "}")
	}
	for i := range iface.NumEmbeddeds() {
		e := iface.EmbeddedType(i)
		if inner, ok := e.Underlying().(*types.Interface); ok && inner.IsMethodSet() {
			continue
		}
		add(head + " interface, type set " + typeString(e, pkg))
	}
}

// methodFeatures lists the exported methods of named's method sets, promoted ones included. A method in the
// method set of named itself is written with a value receiver, one only in that of *named with a pointer one.
func methodFeatures(named *types.Named, pkg *types.Package, add func(string)) {
	recv := named.Obj().Name()
	if tps := named.TypeParams(); tps.Len() > 0 {
		recv += "["
		for i := range tps.Len() {
			if i > 0 {
				recv += ", "
			}
			recv += tps.At(i).Obj().Name()
		}
		recv += "]"
	}
	values := types.NewMethodSet(named)
	pointers := types.NewMethodSet(types.NewPointer(named))
	for i := range pointers.Len() {
		sel := pointers.At(i)
		m := sel.Obj()
		if !m.Exported() {
			continue
		}
		r := "*" + recv
		if values.Lookup(m.Pkg(), m.Name()) != nil {
			r = recv
		}
		add("method (" + r + ") " + m.Name() + signatureString(sel.Type().(*types.Signature), pkg))
	}
}
