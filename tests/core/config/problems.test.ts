// Each class of bad input, with the exact line:col and message a person sees.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseApplication } from '../../../src-main/core/config/load-application'
import { formatProblem } from '../../../src-shared/problems'

function problems(text: string, file = 'app.yaml'): string[] {
  const result = parseApplication(text, file)
  return result.ok ? [] : result.problems.map(formatProblem)
}

const cases: [title: string, yaml: string, expected: string[]][] = [
  [
    "a YAML syntax error",
    '- name: web\n  executable: node\n  bindings: [port: 1\n',
    [
      "4:1: YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  ],
  [
    "an unclosed quote",
    '- name: "web\n  executable: node\n',
    [
      "1:9: YAML syntax error: this quote is never closed",
    ],
  ],
  [
    "a quote that only an escaped quote seems to close",
    '- name: web\n  executable: node\n  args: \'it\'\'s\'\n  env:\n    A: "say \\"hi\\"\n',
    ['5:8: YAML syntax error: this quote is never closed'],
  ],
  [
    "a tab used to indent",
    '- name: web\n\texecutable: node\n',
    [
      "2:2: YAML syntax error: a tab indents this line; YAML indents with spaces only",
    ],
  ],
  [
    "a duplicate key",
    '- name: web\n  executable: node\n  replicas: 1\n  replicas: 2\n',
    [
      "4:3: duplicate key: each key may appear only once in a map",
    ],
  ],
  [
    "a second YAML document",
    '- name: a\n  executable: node\n---\n- name: b\n',
    [
      "3:1: app.yaml holds one YAML document, but \"---\" starts a second one here",
    ],
  ],
  [
    "an unknown service field, close to a known one",
    '- name: web\n  executable: node\n  replcias: 2\n',
    [
      "3:3: service \"web\": unknown field \"replcias\" (did you mean \"replicas\"?)",
    ],
  ],
  [
    "an unknown field far from any known one",
    '- name: web\n  executable: node\n  colour: red\n',
    [
      "3:3: service \"web\": unknown field \"colour\"; known fields: name, project, executable, dockerImage, image, args, workingDirectory, replicas, external, env, environment, configuration, bindings, restart, stopGracePeriod, volumes, envFile, build, watch, readiness, liveness, dependsOn, autoStart",
    ],
  ],
  [
    "an unknown binding field",
    '- name: web\n  executable: node\n  bindings:\n    - prot: 80\n',
    [
      "4:7: service \"web\": unknown field \"prot\" (did you mean \"port\"?)",
    ],
  ],
  [
    "an unknown application field",
    'nme: shop\nservices:\n  - name: web\n    executable: node\n',
    [
      "1:1: unknown field \"nme\" (did you mean \"name\"?)",
    ],
  ],
  [
    "a field named as docker-compose names it",
    '- name: web\n  executable: node\n  ports:\n    - 80\n',
    [
      "3:3: service \"web\": unknown field \"ports\" (did you mean \"bindings\"?)",
    ],
  ],
  [
    "values of the wrong type",
    '- name: web\n  executable: node\n  replicas: two\n  external: "yes"\n  bindings:\n    port: 80\n',
    [
      "3:13: service \"web\": \"replicas\" must be a whole number from 0 to 100, not \"two\"",
      "4:13: service \"web\": \"external\" must be true or false, not \"yes\"",
      "6:5: service \"web\": \"bindings\" must be a list of bindings, not a map",
    ],
  ],
  [
    "a service without a name",
    '- executable: node\n',
    [
      "1:3: service #1: \"name\" is required",
    ],
  ],
  [
    "an empty name",
    '- name: ""\n  executable: node\n',
    [
      "1:9: service #1: \"name\" must be a DNS label (letters, digits and \"-\", starting and ending with a letter or digit, at most 63 characters; upper case reads as lower case), not \"\"",
    ],
  ],
  [
    "a key without a value",
    '- name: web\n  executable: node\n  bindings:\n    - port:\n',
    [
      "4:7: service \"web\": \"port\" is empty; it must be a port number from 1 to 65535",
    ],
  ],
  [
    "a name that is not a DNS label",
    '- name: My_Web\n  executable: node\n',
    [
      "1:9: service \"My_Web\": \"name\" must be a DNS label (letters, digits and \"-\", starting and ending with a letter or digit, at most 63 characters; upper case reads as lower case), not \"My_Web\"",
    ],
  ],
  [
    "two services with one name",
    '- name: web\n  executable: node\n- name: api\n  executable: node\n- name: web\n  executable: node\n',
    [
      "5:9: service \"web\" is defined twice (first at line 1)",
    ],
  ],
  [
    "a service with nothing to run",
    '- name: web\n  replicas: 2\n',
    [
      "1:3: service \"web\": nothing to run: give one of \"project\", \"executable\" or \"dockerImage\" (or \"external: true\")",
    ],
  ],
  [
    "a service with two things to run",
    '- name: web\n  executable: node\n  project: .\n',
    [
      "3:3: service \"web\": has both \"executable\" and \"project\"; give exactly one",
    ],
  ],
  [
    "dockerImage and its alias together",
    '- name: web\n  dockerImage: redis\n  image: redis\n',
    [
      "3:3: service \"web\": use \"dockerImage\" or its alias \"image\", not both",
    ],
  ],
  [
    "an external service with something to run",
    '- name: db\n  external: true\n  executable: node\n  bindings:\n    - port: 5432\n',
    [
      "3:3: service \"db\": an external service is not run, so it takes no \"executable\"",
    ],
  ],
  [
    "an external binding without a port",
    '- name: db\n  external: true\n  bindings:\n    - name: main\n',
    [
      "4:7: service \"db\": a binding of an external service needs a \"port\" (or only a \"connectionString\")",
    ],
  ],
  [
    "ports out of range",
    '- name: web\n  executable: node\n  bindings:\n    - port: 0\n    - name: b\n      port: 65536\n    - name: c\n      port: 80.5\n',
    [
      "4:13: service \"web\": \"port\" must be a port number from 1 to 65535, not 0",
      "6:13: service \"web\": \"port\" must be a port number from 1 to 65535, not 65536",
      "8:13: service \"web\": \"port\" must be a port number from 1 to 65535, not 80.5",
    ],
  ],
  [
    "two services on one port",
    '- name: api\n  executable: node\n  bindings:\n    - port: 5005\n- name: web\n  executable: node\n  bindings:\n    - port: 5005\n',
    [
      "8:13: service \"web\": binding port 5005 is also used by service \"api\"",
    ],
  ],
  [
    "two bindings of one service on one port",
    '- name: web\n  executable: node\n  bindings:\n    - port: 5005\n    - name: admin\n      port: 5005\n',
    [
      "6:13: service \"web\": binding port 5005 is also used by another binding of service \"web\"",
    ],
  ],
  [
    "two services whose Kubernetes-style variables collide",
    '- name: a-b\n  executable: node\n  bindings:\n    - name: c\n      port: 1000\n- name: a\n  executable: node\n  bindings:\n    - name: b-c\n      port: 1001\n',
    [
      "9:13: binding \"b-c\" of service \"a\" and binding \"c\" of service \"a-b\" would both publish A_B_C_SERVICE_HOST; rename one of them",
    ],
  ],
  [
    "two unnamed bindings",
    '- name: web\n  executable: node\n  bindings:\n    - port: 1000\n    - port: 1001\n',
    [
      "5:7: service \"web\": only one binding may have no \"name\"; name this one too",
    ],
  ],
  [
    "two bindings with one name",
    '- name: web\n  executable: node\n  bindings:\n    - name: grpc\n      port: 1000\n    - name: grpc\n      port: 1001\n',
    [
      "6:13: service \"web\": binding name \"grpc\" is used twice",
    ],
  ],
  [
    "invalid environment variable names in a map",
    '- name: web\n  executable: node\n  env:\n    1ABC: x\n    MY-VAR: y\n',
    [
      "4:5: service \"web\": \"1ABC\" is not a valid environment variable name (letters, digits and \"_\", not starting with a digit)",
      "5:5: service \"web\": \"MY-VAR\" is not a valid environment variable name (letters, digits and \"_\", not starting with a digit)",
    ],
  ],
  [
    "every bad item of an environment list",
    '- name: web\n  executable: node\n  env:\n    - NOEQUALS\n    - name: "has space"\n      value: 1\n    - A=1\n    - A=2\n    - 42\n',
    [
      "5:13: service \"web\": \"has space\" is not a valid environment variable name (letters, digits and \"_\", not starting with a digit)",
      "8:7: service \"web\": environment variable \"A\" is set twice",
      "9:7: service \"web\": item 5 of \"env\" must be { name, value } or \"KEY=value\", not 42",
    ],
  ],
  [
    "env and environment together",
    '- name: web\n  executable: node\n  env: {A: 1}\n  environment: {B: 2}\n',
    [
      "4:3: service \"web\": use \"env\" or one of its aliases \"environment\", \"configuration\", not both \"env\" and \"environment\"",
    ],
  ],
  [
    "env of the wrong type",
    '- name: web\n  executable: node\n  env: hello\n',
    [
      "3:8: service \"web\": \"env\" must be a map of KEY: value, or a list of {name, value} or KEY=value, not \"hello\"",
    ],
  ],
  [
    "replicas out of range or fractional",
    '- name: web\n  executable: node\n  replicas: 101\n- name: api\n  executable: node\n  replicas: 1.5\n',
    [
      "3:13: service \"web\": \"replicas\" must be a whole number from 0 to 100, not 101",
      "6:13: service \"api\": \"replicas\" must be a whole number from 0 to 100, not 1.5",
    ],
  ],
  [
    "containerPort outside a container",
    '- name: web\n  executable: node\n  bindings:\n    - port: 80\n      containerPort: 8080\n',
    [
      "5:7: service \"web\": \"containerPort\" is only for containers (dockerImage) and projects",
    ],
  ],
  [
    "a container binding with no port at all",
    '- name: cache\n  image: example/cache\n  bindings:\n    - name: main\n      protocol: tcp\n',
    [
      "4:7: service \"cache\": a tcp binding of a container needs \"containerPort\" or \"port\": the port it listens on inside the container",
    ],
  ],
  [
    "volumes outside a container or project",
    '- name: web\n  executable: node\n  volumes:\n    - source: data\n      target: /data\n',
    [
      "3:3: service \"web\": \"volumes\" are only for containers (dockerImage) and projects",
    ],
  ],
  [
    "a relative volume target",
    '- name: web\n  image: nginx\n  volumes:\n    - source: /tmp\n      target: data\n',
    [
      "5:15: service \"web\": volume target \"data\" must be an absolute path inside the container",
    ],
  ],
  [
    "an unknown restart policy",
    '- name: web\n  executable: node\n  restart: sometimes\n',
    [
      "3:12: service \"web\": \"restart\" must be one of on-failure, always, never, or { policy, maxRestarts }, not \"sometimes\"",
    ],
  ],
  [
    "a grace period that is not a duration",
    '- name: web\n  executable: node\n  stopGracePeriod: soon\n',
    [
      "3:20: service \"web\": \"stopGracePeriod\" must be a number of seconds up to 3600, or a duration like \"5s\" or \"500ms\", not \"soon\"",
    ],
  ],
  [
    "args with an unclosed quote",
    '- name: web\n  executable: node\n  args: "a \'b"\n',
    [
      "3:9: service \"web\": \"args\" cannot be split into words: the single quote (') is never closed",
    ],
  ],
  [
    "args list items that are not strings",
    '- name: web\n  executable: node\n  args: [1, 2]\n',
    [
      "3:10: service \"web\": item 1 of \"args\" must be a string, not 1",
      "3:13: service \"web\": item 2 of \"args\" must be a string, not 2",
    ],
  ],
  [
    "an empty file",
    '',
    [
      "1:1: the file is empty: app.yaml must be a list of services, or a map with \"services\"",
    ],
  ],
  [
    "a file with only a comment",
    '# nothing\n',
    [
      "1:1: the file is empty: app.yaml must be a list of services, or a map with \"services\"",
    ],
  ],
  [
    "a file holding one value",
    'hello\n',
    [
      "1:1: the file holds a single value: app.yaml must be a list of services, or a map with \"services\"",
    ],
  ],
  [
    "an empty list of services",
    '[]\n',
    [
      "1:1: the file must list at least one service",
    ],
  ],
  [
    "an empty services map entry",
    'name: x\nservices: []\n',
    [
      "2:11: \"services\" must list at least one service",
    ],
  ],
  [
    "a map without services",
    'name: x\n',
    [
      "1:1: \"services\" is required",
    ],
  ],
  [
    "a service that is not a map",
    '- web\n',
    [
      "1:3: service #1: this service must be a map with a \"name\" and what to run, not \"web\"",
    ],
  ],
  [
    "an upper-case protocol",
    '- name: web\n  executable: node\n  bindings:\n    - protocol: HTTP\n',
    [
      "4:17: service \"web\": \"protocol\" must be a lowercase URL scheme such as http, https or tcp, not \"HTTP\"",
    ],
  ],
  [
    "__proto__ keys",
    '- name: web\n  executable: node\n  __proto__: {polluted: true}\n  env:\n    __proto__: x\n',
    [
      "3:3: service \"web\": unknown field \"__proto__\"; known fields: name, project, executable, dockerImage, image, args, workingDirectory, replicas, external, env, environment, configuration, bindings, restart, stopGracePeriod, volumes, envFile, build, watch, readiness, liveness, dependsOn, autoStart",
      "5:5: service \"web\": \"__proto__\" is not a valid environment variable name (letters, digits and \"_\", not starting with a digit)",
    ],
  ],
  [
    "many problems at once, in file order",
    '- name: web\n  executable: node\n  replicas: 500\n  colour: red\n  bindings:\n    - port: 99999\n- name: web\n  executable: node\n',
    [
      "3:13: service \"web\": \"replicas\" must be a whole number from 0 to 100, not 500",
      "4:3: service \"web\": unknown field \"colour\"; known fields: name, project, executable, dockerImage, image, args, workingDirectory, replicas, external, env, environment, configuration, bindings, restart, stopGracePeriod, volumes, envFile, build, watch, readiness, liveness, dependsOn, autoStart",
      "6:13: service \"web\": \"port\" must be a port number from 1 to 65535, not 99999",
      "7:9: service \"web\" is defined twice (first at line 1)",
    ],
  ],
  [
    "a problem in a file saved with a byte order mark and CRLF line ends",
    '\uFEFF- name: web\r\n  executable: node\r\n  replicaz: 2\r\n',
    ['3:3: service "web": unknown field "replicaz" (did you mean "replicas"?)'],
  ],
  [
    "a container working directory that is not a path inside the container",
    '- name: web\n  image: nginx\n  workingDirectory: app\n',
    ['3:21: service "web": the working directory of a container must be an absolute path inside it, not "app"'],
  ],
  [
    "a grace period over an hour",
    '- name: web\n  executable: node\n  stopGracePeriod: 61m\n',
    ['3:20: service "web": "stopGracePeriod" must be at most an hour, not 61m'],
  ],
  [
    "a restart policy close to a known one",
    '- name: web\n  executable: node\n  restart: on_failure\n',
    ['3:12: service "web": "restart" must be one of on-failure, always, never, or { policy, maxRestarts }, not "on_failure" (did you mean "on-failure"?)'],
  ],
  [
    "a binding that is not a map, beside a good one",
    '- name: web\n  executable: node\n  bindings:\n    - 80\n    - port: 80\n',
    ['4:7: service "web": item 1 of "bindings" must be a map such as { port: 8080 }, not 80'],
  ],
  [
    "a volume without a target",
    '- name: web\n  image: x\n  volumes:\n    - source: a\n',
    ['4:7: service "web": "target" is required'],
  ],
  [
    "services written as a map",
    'name: x\nservices:\n  web:\n    executable: node\n',
    ['3:3: "services" must be a list of services, not a map'],
  ],
  [
    "an env map value that is a list",
    '- name: web\n  executable: node\n  env:\n    A: [1, 2]\n    B: ok\n',
    ['4:8: service "web": "A" must be a string, a number or true/false, not a list'],
  ],
  [
    "a bad value given through an alias, at the place it is used",
    'name: app\nservices:\n  - name: web\n    executable: node\n    env: { P: &p "80" }\n    bindings:\n      - port: *p\n',
    ['7:15: service "web": "port" must be a port number from 1 to 65535, not "80"'],
  ],
]

describe('problems in app.yaml', () => {
  it.each(cases)('reports %s', (_title, yaml, expected) => {
    expect(problems(yaml)).toEqual(expected.map((p) => `app.yaml:${p}`))
  })

  it('checks that paths exist, from the file\'s folder, and quotes the file as given', () => {
    const file = 'tests/fixtures/config/full/app.yaml'
    const dir = resolve('tests/fixtures/config/full')
    const yaml = '- name: a\n  project: ./nope\n- name: b\n  executable: node\n  workingDirectory: tools/tool.sh\n- name: c\n  executable: ./bin/nope\n- name: d\n  project: tools/tool.sh\n- name: e\n  image: x\n  volumes:\n    - source: ./gone\n      target: /gone\n'
    expect(problems(yaml, file)).toEqual([
      `${file}:2:12: service "a": project "./nope" does not exist (looked for ${dir}/nope)`,
      `${file}:5:21: service "b": working directory "tools/tool.sh" is not a folder (looked for ${dir}/tools/tool.sh)`,
      `${file}:7:15: service "c": executable "./bin/nope" does not exist (looked for ${dir}/bin/nope)`,
      `${file}:9:12: service "d": project "tools/tool.sh" must be a folder, a package.json, or a .csproj/.fsproj file`,
      `${file}:13:15: service "e": volume source "./gone" does not exist (looked for ${dir}/gone)`,
    ])
  })
})
