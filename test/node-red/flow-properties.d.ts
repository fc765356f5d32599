// A test flow's node carries the node type's own properties (account, path, baseUrl…), as the editor
// saves them; node-red-node-test-helper's types only know id, type, name and wires.
import 'node-red';

declare module 'node-red' {
	interface NodeDef {
		[property: string]: any;
	}
}
