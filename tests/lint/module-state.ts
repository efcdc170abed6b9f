// Finds module-level mutable state in a TypeScript file: a top-level `let` or `var`, a
// top-level `const` holding a Map, Set, array or object literal that the file then changes, or
// a class's static field that is not readonly (the same state, reached through the class). Such
// state is shared by every host in the process (two sessions, two orchestrators, the tests of one
// file), which is what core and api must not have: it belongs on an object a host creates.
import ts from 'typescript'

/** calls that change a Map, Set or array in place */
const MUTATING_METHODS = new Set(['set', 'add', 'delete', 'clear', 'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin'])
const CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array'])

export interface ModuleState {
  name: string
  line: number
  why: string
}

function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node) || ts.isTypeAssertionExpression(node)) node = node.expression
  return node
}

/** a Map, Set, array or object made at load time: one the file may fill in later */
function isContainer(initializer: ts.Expression | undefined): boolean {
  if (!initializer) return false
  const value = unwrap(initializer)
  if (ts.isArrayLiteralExpression(value) || ts.isObjectLiteralExpression(value)) return true
  return ts.isNewExpression(value) && ts.isIdentifier(value.expression) && CONTAINERS.has(value.expression.text)
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment
}

/** whether this use of the name changes what it holds: `name.add(…)`, `name.x = …`, `name[k]++`, `delete name.x` */
function mutates(use: ts.Identifier): boolean {
  const access = use.parent
  if (!(ts.isPropertyAccessExpression(access) || ts.isElementAccessExpression(access)) || access.expression !== use) return false
  const outer = access.parent
  if (ts.isPropertyAccessExpression(access) && MUTATING_METHODS.has(access.name.text) && ts.isCallExpression(outer) && outer.expression === access) return true
  if (ts.isBinaryExpression(outer) && outer.left === access && isAssignmentOperator(outer.operatorToken.kind)) return true
  if ((ts.isPrefixUnaryExpression(outer) || ts.isPostfixUnaryExpression(outer)) && (outer.operator === ts.SyntaxKind.PlusPlusToken || outer.operator === ts.SyntaxKind.MinusMinusToken)) return true
  return ts.isDeleteExpression(outer)
}

/**
 * The module-level mutable state of one file. Uses are matched by symbol (a program of this one
 * file), so a local of the same name in some function is not taken for the module's.
 */
export function moduleState(fileName: string, text: string): ModuleState[] {
  const options: ts.CompilerOptions = { noResolve: true, noLib: true, types: [], target: ts.ScriptTarget.ES2022 }
  const host = ts.createCompilerHost(options, true)
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const read = host.getSourceFile.bind(host)
  host.getSourceFile = (name, ...rest) => (name === fileName ? source : read(name, ...rest))
  const checker = ts.createProgram([fileName], options, host).getTypeChecker()

  const found: ModuleState[] = []
  const containers = new Map<ts.Symbol, ts.VariableDeclaration>()
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement)) found.push(...staticFields(source, statement))
    if (!ts.isVariableStatement(statement)) continue
    const list = statement.declarationList
    const constant = (list.flags & ts.NodeFlags.Const) !== 0
    for (const declaration of list.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue
      if (!constant) {
        const keyword = (list.flags & ts.NodeFlags.Let) !== 0 ? 'let' : 'var'
        found.push({ name: declaration.name.text, line: lineOf(source, declaration), why: `top-level ${keyword}` })
        continue
      }
      const symbol = checker.getSymbolAtLocation(declaration.name)
      if (symbol && isContainer(declaration.initializer)) containers.set(symbol, declaration)
    }
  }
  if (containers.size === 0) return found

  const reported = new Set<ts.Symbol>()
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && mutates(node)) {
      const symbol = checker.getSymbolAtLocation(node)
      const declaration = symbol && containers.get(symbol)
      if (symbol && declaration && !reported.has(symbol)) {
        reported.add(symbol)
        found.push({ name: node.text, line: lineOf(source, declaration), why: `top-level const changed at line ${lineOf(source, node)}` })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function staticFields(source: ts.SourceFile, declaration: ts.ClassDeclaration): ModuleState[] {
  return declaration.members.flatMap((member) => {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) return []
    const modifiers = ts.getModifiers(member) ?? []
    const isStatic = modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)
    const readonly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword)
    return isStatic && !readonly ? [{ name: `${declaration.name?.text ?? 'class'}.${member.name.text}`, line: lineOf(source, member), why: 'static field, not readonly' }] : []
  })
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
}
