package main

import (
	"go/types"
	"strconv"
	"strings"
)

// typeString renders t as a listing writes it. The types of pkg are unqualified and every other named type
// carries its full import path (math/rand.Rand and math/rand/v2.Rand are different types with one package
// name). Aliases are resolved to what they denote, each basic type has one name (byte for uint8, int32 for
// rune), and the names of parameters and results are left out, since a caller sees none of these; everything
// else that makes two types different (struct tags and unexported fields of struct literals, channel
// directions, array lengths) is kept.
func typeString(t types.Type, pkg *types.Package) string {
	w := typeWriter{pkg: pkg}
	w.typ(t)
	return w.b.String()
}

// signatureString renders sig as its declaration writes it after the name: type parameters, parameter types,
// result types.
func signatureString(sig *types.Signature, pkg *types.Package) string {
	w := typeWriter{pkg: pkg}
	w.typeParams(sig.TypeParams())
	w.signature(sig)
	return w.b.String()
}

// typeParamsString renders a declaration's type parameters, "[K comparable, V any]", or "" if it has none.
func typeParamsString(tps *types.TypeParamList, pkg *types.Package) string {
	w := typeWriter{pkg: pkg}
	w.typeParams(tps)
	return w.b.String()
}

// typeWriter accumulates the rendering of one type.
type typeWriter struct {
	b   strings.Builder
	pkg *types.Package
}

func (w *typeWriter) typ(t types.Type) {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		w.basic(t)
	case *types.Named:
		w.named(t)
	case *types.TypeParam:
		w.b.WriteString(t.Obj().Name())
	case *types.Pointer:
		w.b.WriteString("*")
		w.typ(t.Elem())
	case *types.Slice:
		w.b.WriteString("[]")
		w.typ(t.Elem())
	case *types.Array:
		w.b.WriteString("[" + strconv.FormatInt(t.Len(), 10) + "]")
		w.typ(t.Elem())
	case *types.Map:
		w.b.WriteString("map[")
		w.typ(t.Key())
		w.b.WriteString("]")
		w.typ(t.Elem())
	case *types.Chan:
		w.channel(t)
	case *types.Signature:
		w.b.WriteString("func")
		w.signature(t)
	case *types.Struct:
		w.structLiteral(t)
	case *types.Interface:
		w.interfaceLiteral(t)
	case *types.Union:
		w.union(t)
	default: // *types.Tuple never stands alone in a declaration
		w.b.WriteString(types.TypeString(t, w.qualifier))
	}
}

// basic writes one name for each basic type: byte and uint8 are one type, written byte; rune and int32 too,
// written int32.
func (w *typeWriter) basic(t *types.Basic) {
	switch t.Kind() {
	case types.Uint8:
		w.b.WriteString("byte")
	case types.UnsafePointer:
		w.b.WriteString("unsafe.Pointer")
	default:
		w.b.WriteString(types.Typ[t.Kind()].Name())
	}
}

// qualifier names a package as the listing does: nothing for pkg itself, the import path for any other.
func (w *typeWriter) qualifier(p *types.Package) string {
	if p == nil || p.Path() == w.pkg.Path() {
		return ""
	}
	return p.Path()
}

func (w *typeWriter) named(t *types.Named) {
	if q := w.qualifier(t.Obj().Pkg()); q != "" {
		w.b.WriteString(q + ".")
	}
	w.b.WriteString(t.Obj().Name())
	if args := t.TypeArgs(); args.Len() > 0 {
		w.b.WriteString("[")
		for i := range args.Len() {
			w.sep(i, ", ")
			w.typ(args.At(i))
		}
		w.b.WriteString("]")
	}
}

func (w *typeWriter) channel(t *types.Chan) {
	switch t.Dir() {
	case types.SendOnly:
		w.b.WriteString("chan<- ")
	case types.RecvOnly:
		w.b.WriteString("<-chan ")
	default:
		w.b.WriteString("chan ")
		if e, ok := types.Unalias(t.Elem()).(*types.Chan); ok && e.Dir() == types.RecvOnly {
			w.b.WriteString("(")
			w.typ(e)
			w.b.WriteString(")")
			return
		}
	}
	w.typ(t.Elem())
}

// signature writes parameter and result types, without names: "(string, ...int) (bool, error)".
func (w *typeWriter) signature(sig *types.Signature) {
	w.b.WriteString("(")
	params := sig.Params()
	for i := range params.Len() {
		w.sep(i, ", ")
		if sig.Variadic() && i == params.Len()-1 {
			w.b.WriteString("...")
			w.typ(params.At(i).Type().(*types.Slice).Elem())
			continue
		}
		w.typ(params.At(i).Type())
	}
	w.b.WriteString(")")
	results := sig.Results()
	switch results.Len() {
	case 0:
	case 1:
		w.b.WriteString(" ")
		w.typ(results.At(0).Type())
	default:
		w.b.WriteString(" (")
		for i := range results.Len() {
			w.sep(i, ", ")
			w.typ(results.At(i).Type())
		}
		w.b.WriteString(")")
	}
}

func (w *typeWriter) typeParams(tps *types.TypeParamList) {
	if tps.Len() == 0 {
		return
	}
	w.b.WriteString("[")
	for i := range tps.Len() {
		w.sep(i, ", ")
		w.b.WriteString(tps.At(i).Obj().Name() + " ")
		w.typ(tps.At(i).Constraint())
	}
	w.b.WriteString("]")
}

// structLiteral writes an unnamed struct type whole, unexported fields and tags included: they are part of
// its identity.
func (w *typeWriter) structLiteral(t *types.Struct) {
	w.b.WriteString("struct{")
	for i := range t.NumFields() {
		w.sep(i, "; ")
		f := t.Field(i)
		if !f.Embedded() {
			w.b.WriteString(f.Name() + " ")
		}
		w.typ(f.Type())
		if tag := t.Tag(i); tag != "" {
			w.b.WriteString(" " + strconv.Quote(tag))
		}
	}
	w.b.WriteString("}")
}

// interfaceLiteral writes an unnamed interface type: its whole method set (embedded interfaces included), then
// the elements of its type set. An implicit constraint ("[T ~int]") is written as its single element.
func (w *typeWriter) interfaceLiteral(t *types.Interface) {
	if t.IsImplicit() && t.NumEmbeddeds() == 1 {
		w.typ(t.EmbeddedType(0))
		return
	}
	w.b.WriteString("interface{")
	n := 0
	for i := range t.NumMethods() {
		m := t.Method(i)
		w.sep(n, "; ")
		n++
		w.b.WriteString(m.Name())
		w.signature(m.Type().(*types.Signature))
	}
	for i := range t.NumEmbeddeds() {
		e := t.EmbeddedType(i)
		if iface, ok := e.Underlying().(*types.Interface); ok && iface.IsMethodSet() {
			continue // its methods are in t's method set, written above
		}
		w.sep(n, "; ")
		n++
		w.typ(e)
	}
	w.b.WriteString("}")
}

func (w *typeWriter) union(t *types.Union) {
	for i := range t.Len() {
		w.sep(i, " | ")
		if t.Term(i).Tilde() {
			w.b.WriteString("~")
		}
		w.typ(t.Term(i).Type())
	}
}

// sep writes s before every element but the first.
func (w *typeWriter) sep(i int, s string) {
	if i > 0 {
		w.b.WriteString(s)
	}
}
