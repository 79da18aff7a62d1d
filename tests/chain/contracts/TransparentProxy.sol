// SPDX-License-Identifier: MIT
// EIP-1967 transparent proxy and its admin, written for Backcheck's test chain after
// the roles of OpenZeppelin's TransparentUpgradeableProxy/ProxyAdmin that Backed uses.
pragma solidity ^0.8.20;

contract TransparentProxy {
    bytes32 private constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 private constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);

    constructor(address logic, address admin_, bytes memory data) payable {
        _setImplementation(logic);
        _setAdmin(admin_);
        if (data.length > 0) {
            (bool ok, ) = logic.delegatecall(data);
            require(ok, "init failed");
        }
    }

    function _admin() private view returns (address a) {
        bytes32 slot = ADMIN_SLOT;
        assembly { a := sload(slot) }
    }

    function _implementation() private view returns (address i) {
        bytes32 slot = IMPLEMENTATION_SLOT;
        assembly { i := sload(slot) }
    }

    function _setImplementation(address logic) private {
        bytes32 slot = IMPLEMENTATION_SLOT;
        assembly { sstore(slot, logic) }
        emit Upgraded(logic);
    }

    function _setAdmin(address admin_) private {
        emit AdminChanged(_admin(), admin_);
        bytes32 slot = ADMIN_SLOT;
        assembly { sstore(slot, admin_) }
    }

    fallback() external payable {
        if (msg.sender == _admin()) {
            bytes4 sel = msg.sig;
            if (sel == bytes4(keccak256("upgradeToAndCall(address,bytes)"))) {
                (address logic, bytes memory data) = abi.decode(msg.data[4:], (address, bytes));
                _setImplementation(logic);
                if (data.length > 0) {
                    (bool ok, ) = logic.delegatecall(data);
                    require(ok, "upgrade call failed");
                }
                return;
            }
            if (sel == bytes4(keccak256("changeAdmin(address)"))) {
                _setAdmin(abi.decode(msg.data[4:], (address)));
                return;
            }
            revert("TransparentProxy: admin cannot fallback to proxy target");
        }
        address impl = _implementation();
        assembly {
            calldatacopy(0, 0, calldatasize())
            let result := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch result
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    receive() external payable {}
}

contract ProxyAdmin {
    address public owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor(address owner_) {
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
    }

    function upgradeAndCall(address proxy, address implementation, bytes calldata data) external {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        (bool ok, ) = proxy.call(abi.encodeWithSignature("upgradeToAndCall(address,bytes)", implementation, data));
        require(ok, "upgrade failed");
    }

    function transferOwnership(address newOwner) external {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}
