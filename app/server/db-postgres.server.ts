// PostgreSQL as the server's database (docs/decisions/016-two-dialects.md).
import pg from 'pg';
import {
  ColumnDefinitionNode,
  DataTypeNode,
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  PostgresDriver,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type TransactionSettings,
  type UnknownRow,
} from 'kysely';
import type { Database } from '../../db/schema';

// Counts (bigint) and sums (numeric) come back as numbers, as from SQLite.
// Every count here is far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * Every transaction takes one advisory lock first: write transactions run one
 * at a time across every app process, as SQLite's BEGIN IMMEDIATE makes them
 * within one file. The models' read-then-write checks (a double submission, a
 * rate limit, a claim) keep the meaning they have on SQLite. Statements outside
 * a transaction do not take it.
 */
export const WRITE_LOCK_KEY = 7_426_611;

class SerialWriteDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`));
  }
}

class SerialWritePostgresDialect extends PostgresDialect {
  constructor(private readonly pool: pg.Pool) {
    super({ pool });
  }
  override createDriver(): Driver {
    return new SerialWriteDriver({ pool: this.pool });
  }
}

export function openPostgres(url: string, options: { max?: number } = {}): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client whose server went away must not crash the process.
  pool.on('error', (error) => console.error('postgres pool:', error.message));
  const db = new Kysely<Database>({ dialect: new SerialWritePostgresDialect(pool) });
  return { db, pool };
}

/**
 * The migrations declare ids as SQLite's `integer primary key autoincrement`;
 * on PostgreSQL such a column becomes `serial` (an integer fed by a sequence).
 */
class SerialIdTransformer extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const transformed = super.transformColumnDefinition(node);
    if (!transformed.autoIncrement) return transformed;
    return { ...transformed, autoIncrement: false, dataType: DataTypeNode.create('serial') };
  }
}

export class SerialIdsPlugin implements KyselyPlugin {
  private readonly transformer = new SerialIdTransformer();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//.test(value);
}
